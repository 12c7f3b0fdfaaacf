import Foundation
import SmithReaders
import Testing

@Suite("DiskLoggerLog and the DPO config")
struct DiskLoggerLogTests {
    static func read(_ text: String) throws(ReadError) -> DiskLoggerLog {
        try DiskLoggerLog.read(Array(text.utf8), file: "log_1.txt")
    }

    @Test("the fixture log: 1,005 steps of six metrics, then a validation line")
    func fixture() throws {
        let path = Fixtures.path("torchtune/logs/log_1743465600.txt")
        let log = try DiskLoggerLog.read([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), file: path)
        #expect(log.format == "txt")
        #expect(log.entries.count == 1006)
        #expect(
            log.names == [
                "loss", "lr", "tokens_per_second_per_gpu", "peak_memory_active", "peak_memory_alloc",
                "peak_memory_reserved", "val_loss",
            ])
        #expect(log.entries[0].step == 1 && log.entries[0].values[0].1 == 1.3339968164713367)
        #expect(log.entries[0].values[1].1 == 1e-05)
        #expect(log.entries.last?.step == 1005 && log.entries.last?.values.map(\.0) == ["val_loss"])
    }

    @Test("log_dict and log lines; tensors (the DPO recipes' rewards), nan and inf; blank lines skipped")
    func valueForms() throws {
        let log = try Self.read(
            "Step 1 | loss:0.6931471824645996 lr:2e-05 rewards/chosen:tensor(0.0125) "
                + "rewards/accuracies:tensor(0.5000, dtype=torch.bfloat16) grad_norm:tensor(1.2, device='cuda:0') \n"
                + "Step 2 | loss:nan lr:inf count:3 neg:-inf \n\nStep 3 | val_loss:0.5\n")
        #expect(log.entries.map(\.step) == [1, 2, 3])
        #expect(log.entries[0].values.map(\.0) == ["loss", "lr", "rewards/chosen", "rewards/accuracies", "grad_norm"])
        #expect(log.entries[0].values.map(\.1) == [0.6931471824645996, 2e-05, 0.0125, 0.5, 1.2])
        #expect(log.entries[1].values[0].1.isNaN)
        #expect(log.entries[1].values[1].1 == .infinity && log.entries[1].values[3].1 == -.infinity)
        #expect(log.entries[1].values[2].1 == 3)
        #expect(log.entries[2].line == 4)
    }

    @Test("the jsonl format of torchtune 0.7")
    func jsonLines() throws {
        let log = try Self.read(
            """
            {"step": 1, "loss": 0.5, "lr": 1e-05}
            {"step": 2, "loss": "nan", "lr": 2e-05}
            {"step": 3, "loss": NaN, "lr": Infinity}
            """)
        #expect(log.format == "jsonl")
        #expect(log.entries.map(\.step) == [1, 2, 3])
        #expect(log.entries[1].values[0].1.isNaN)
        // Python's json.dump writes float nan and inf bare.
        #expect(log.entries[2].values[0].1.isNaN && log.entries[2].values[1].1 == .infinity)
    }

    @Test(
        "what is not a step line is a ReadError naming the line",
        arguments: [
            ("Step 1 | loss:0.5\nloss 0.4\n", "line 2: expected `Step N | name:value ...`"),
            ("Step x | loss:0.5\n", "the step \"x\""),
            ("Step 1 | loss:abc\n", "the value \"abc\" of loss"),
            ("Step 1 | loss:0.5 lr\n", "\"lr\" with no `:`"),
            ("Step 1 | \n", "no `name:value`"),
            ("Step 1 | loss:tensor(0.5\n", "an unclosed tensor("),
            ("\n\n", "found none"),
            ("{\"loss\": 1}\n", "no non-negative integer \"step\""),
        ])
    func refusals(_ text: String, _ message: String) {
        let error = #expect(throws: ReadError.self) { try Self.read(text) }
        #expect(error?.path == "log_1.txt")
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }

    @Test("a DPO config: its reference model, preference dataset and DiskLogger")
    func dpoConfig() throws {
        let config = try TorchtuneConfigReader.read(atPath: Fixtures.path("torchtune/qwen_7b_full_dpo.yaml"))
        let sft = "/llm-weights/outputs/qwen2p5-coder-7b-full-lr5e-5-warmup5___ft_xml_all_250331"
        #expect(config.checkpointDir == sft + "/epoch_2")
        #expect(config.refCheckpointDir == "/llm-weights/Qwen/Qwen2.5-Coder-7B-Instruct")
        #expect(config.baseModel == "Qwen2.5-Coder-7B-Instruct")
        #expect(config.datasetComponent == "torchtune.datasets.preference_dataset")
        #expect(config.isPreferenceDataset)
        #expect(config.dataFiles == ["swe_dpo_pairs.jsonl"])
        #expect(config.usesDiskLogger)
        #expect(config.metricLogDir == sft + "-dpo/logs")

        let swesmith = try TorchtuneConfigReader.read(atPath: Fixtures.path("swe-smith/configs/full_ft_qwen_7b.yml"))
        #expect(!swesmith.isPreferenceDataset && !swesmith.usesDiskLogger)
        #expect(swesmith.metricLoggerComponent == "torchtune.training.metric_logging.WandBLogger")
    }
}
