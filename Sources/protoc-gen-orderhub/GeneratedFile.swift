/// One output file, named relative to the `--orderhub_out` directory.
struct GeneratedFile: Equatable {
    var name: String
    var content: String
}
