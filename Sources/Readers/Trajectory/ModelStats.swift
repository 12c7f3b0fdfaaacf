/// `info.model_stats` of a trajectory: what the run cost. Every field is `nil` when the file does not say.
public struct ModelStats: Sendable, Hashable {
    /// Cost of this instance in dollars (`instance_cost`).
    public var instanceCost: Double?
    /// Cost of the whole run so far (`total_cost`, only written before SWE-agent 1.0).
    public var totalCost: Double?
    public var tokensSent: Int?
    public var tokensReceived: Int?
    public var apiCalls: Int?

    public init(
        instanceCost: Double? = nil, totalCost: Double? = nil, tokensSent: Int? = nil, tokensReceived: Int? = nil,
        apiCalls: Int? = nil
    ) {
        self.instanceCost = instanceCost
        self.totalCost = totalCost
        self.tokensSent = tokensSent
        self.tokensReceived = tokensReceived
        self.apiCalls = apiCalls
    }
}
