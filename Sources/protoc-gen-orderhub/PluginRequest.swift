/// What protoc asks for: the files to generate, the `--orderhub_opt` parameter, and every file
/// they depend on (so that imported types resolve).
struct PluginRequest {
    var filesToGenerate: [String]
    var parameter: String
    var files: [ProtoFile]
}
