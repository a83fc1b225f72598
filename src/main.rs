fn main() -> std::process::ExitCode {
    dajian::cli::main()
}
