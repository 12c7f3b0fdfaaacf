import SmithJSON
import SmithReaders
import Testing

@Suite("TorchtuneConfigReader")
struct TorchtuneConfigReaderTests {
    static let fixture = "swe-smith/configs/full_ft_qwen_7b.yml"

    @Test("SWE-smith's full fine-tune config")
    func fullFineTune() throws {
        let config = try TorchtuneConfigReader.read(atPath: Fixtures.path(Self.fixture))
        let experiment = "qwen2p5-coder-7b-full-lr5e-5-warmup5___ft_xml_all_250331"
        #expect(config.dataFiles == ["/datasets/trajectories_sft/ft_xml_all_250331.jsonl"])
        #expect(config.outputDir == "/llm-weights/outputs/\(experiment)")
        #expect(config.checkpointerOutputDir == "/llm-weights/outputs/\(experiment)")
        #expect(config.checkpointDir == "/llm-weights/Qwen/Qwen2.5-Coder-7B-Instruct")
        #expect(config.baseModel == "Qwen2.5-Coder-7B-Instruct")
        #expect(config.modelComponent == "torchtune.models.qwen2_5.qwen2_5_7b_instruct")
        #expect(config.learningRate == 5e-5)
        #expect(config.epochs == 3 && config.batchSize == 1 && config.gradientAccumulationSteps == 4)
        #expect(config.maxSeqLen == 32768 && config.seed == 42)
        // The config itself keeps the file's order and its unresolved interpolations.
        #expect(config.config.objectValue?.map(\.0).prefix(3) == ["exp_name", "output_dir", "model"])
        #expect(config.config["output_dir"]?.stringValue == "/llm-weights/outputs/${exp_name}")
        #expect(config.config["resume_from_checkpoint"] == .bool(false))
        #expect(config.config["checkpointer"]?["recipe_checkpoint"] == .null)
        #expect(config.config["checkpointer"]?["checkpoint_files"]?.arrayValue?.count == 4)
        #expect(config.config["optimizer"]?["lr"] == .number("5e-5"))
    }

    @Test("YAML 1.1 scalars become JSON values the way OmegaConf reads them")
    func yamlScalars() throws {
        let dir = TempDir()
        let path = dir.write(
            "c.yaml",
            """
            model: {_component_: m}
            ints: [0x1F, 0o17, 017, 1_000, -5, +3]
            floats: [1.5, 5e-5, .5, 1_000.25, .inf]
            bools: [yes, No, on, TRUE]
            nulls: [~, null, Null]
            strings: ['1', "yes", 2024-01-02, hello]
            base: &base {a: 1, b: 2}
            derived:
              <<: *base
              b: 3
            """)
        let config = try TorchtuneConfigReader.read(atPath: path).config
        // Like PyYAML, `0o17` is not an integer in YAML 1.1; like OmegaConf (not PyYAML), `5e-5` is a float.
        #expect(
            config["ints"]
                == .array([.number("31"), .string("0o17"), .number("15"), .number("1000"), .number("-5"), .number("3")])
        )
        #expect(
            config["floats"]
                == .array([.number("1.5"), .number("5e-5"), .number("0.5"), .number("1000.25"), .string(".inf")]))
        #expect(config["bools"] == .array([.bool(true), .bool(false), .bool(true), .bool(true)]))
        #expect(config["nulls"] == .array([.null, .null, .null]))
        #expect(config["strings"] == .array([.string("1"), .string("yes"), .string("2024-01-02"), .string("hello")]))
        #expect(config["derived"] == .object([("b", .number("3")), ("a", .number("1"))]))
    }

    @Test("wrong shapes are ReadErrors with the field's path")
    func wrongShapes() {
        let dir = TempDir()
        let cases: [(String, String?, String)] = [
            ("model: {}\noptimizer: {lr: fast}\n", "$.optimizer.lr", #"expected a number, found "fast""#),
            ("model: {}\nepochs: three\n", "$.epochs", #"expected an integer, found "three""#),
            ("model: {}\ndataset: {data_files: 3}\n", "$.dataset.data_files", "expected a path or a list of paths"),
            ("model: {}\ntokenizer: {max_seq_len: [1]}\n", "$.tokenizer.max_seq_len", "expected an integer"),
            ("foo: 1\n", "$", "expected a torchtune config"),
            ("- a\n- b\n", "$", "expected a torchtune config (a YAML mapping), found an array"),
            ("model: [unclosed\n", nil, "invalid YAML"),
            ("   \n\n", nil, "found only white space"),
        ]
        for (i, (yaml, jsonPath, message)) in cases.enumerated() {
            let path = dir.write("c\(i).yaml", yaml)
            let error = #expect(throws: ReadError.self) { try TorchtuneConfigReader.read(atPath: path) }
            #expect(error?.path == path)
            #expect(error?.jsonPath == jsonPath, "\(yaml): \(error?.description ?? "")")
            #expect(error?.message.contains(message) == true, "\(error?.description ?? "")")
        }
    }
}
