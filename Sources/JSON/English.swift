/// Small helpers for messages written in English.
package enum English {
    /// `noun` after its indefinite article: "an eval run", "a trajectory run", "an SFT dataset", "an int".
    ///
    /// By sound, as far as a first letter tells: a vowel takes "an", and so does an initialism whose first letter
    /// is spoken with one (F, H, L, M, N, R, S, X: "an SFT dataset", "an xml transform").
    package static func a(_ noun: String) -> String {
        guard let first = noun.first else { return noun }
        if "aeiouAEIOU".contains(first) { return "an " + noun }
        let word = noun.prefix { $0.isLetter }
        let initialism = word.count >= 2 && (word.allSatisfy(\.isUppercase) || ["xml", "sb"].contains(word))
        return (initialism && "FHLMNRSXfhlmnrsx".contains(first) ? "an " : "a ") + noun
    }
}
