# Sourced by the benchmark scripts (POSIX sh): the repository root, a scratch directory that is
# removed on exit, and the pjece binary to measure.

root=$(cd "$(dirname "$0")/.." && pwd)

# scratch NAME: a new directory $work under $TMPDIR, removed when the script exits.
scratch() {
    work=$(mktemp -d "${TMPDIR:-/tmp}/pjece-$1-XXXXXX")
    trap 'rm -rf "$work"' EXIT
}

# release_pjece: sets $pjece to PJECE=path/to/pjece when given (to measure that binary), else
# to a release build made now.
release_pjece() {
    pjece=${PJECE:-}
    if [ -z "$pjece" ]; then
        cargo build --release --quiet --manifest-path "$root/Cargo.toml"
        pjece="$root/target/release/pjece"
    fi
}
