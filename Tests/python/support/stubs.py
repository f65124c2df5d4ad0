"""Generates Python protobuf and grpcio stubs from the project's .proto files at test time.

Stock clients are built from the same `Protos/` that users generate from, never from
checked-in Python code, so a contract change is seen by the tests at once.

The generated packages are placed under a per-kind prefix (`orderhub_stubs_interop.grpc.testing`)
because proto packages such as `grpc.testing` and `grpc.health.v1` would otherwise be looked up
inside grpcio's own `grpc` package and not be found. `load("grpc.testing.test_pb2", "interop")`
hides the prefix.
"""
import importlib
import pathlib
import re
import sys
import tempfile

from grpc_tools import protoc

ROOT = pathlib.Path(__file__).resolve().parents[3]
PROTO_ROOTS = {
    "contracts": ROOT / "Protos",
    "interop": ROOT / "Tests" / "Interop" / "Protos",
}
_generated: dict[str, pathlib.Path] = {}


def _include_dirs():
    """protoc's own include dir, for google/protobuf/descriptor.proto."""
    import grpc_tools

    return [str(pathlib.Path(grpc_tools.__file__).parent / "_proto"), "/usr/include"]


def generate(kind: str = "contracts") -> pathlib.Path:
    """Generates stubs for one proto tree once per process and puts them on sys.path. Returns
    the directory laid out like the proto tree (`grpc/health/v1/health_pb2.py` under it)."""
    if kind in _generated:
        return _generated[kind]
    root = PROTO_ROOTS[kind]
    out = pathlib.Path(tempfile.mkdtemp(prefix=f"orderhub-stubs-{kind}-"))
    package_dir = out / _prefix(kind)
    package_dir.mkdir()
    protos = sorted(str(p.relative_to(root)) for p in root.rglob("*.proto"))
    args = ["protoc", f"-I{root}", *[f"-I{d}" for d in _include_dirs()],
            f"--python_out={package_dir}", f"--grpc_python_out={package_dir}", *protos]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed for {kind}: {' '.join(args)}")
    # Make every generated directory a package so `import <prefix>.orderhub.v1.orders_pb2` works.
    for directory in [package_dir, *[p for p in package_dir.rglob("*") if p.is_dir()]]:
        (directory / "__init__.py").touch()
    _prefix_imports(package_dir, _prefix(kind))
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    _generated[kind] = package_dir
    return package_dir


def _prefix(kind: str) -> str:
    return f"orderhub_stubs_{kind}"


def _prefix_imports(package_dir: pathlib.Path, prefix: str) -> None:
    """Rewrites `from grpc.testing import empty_pb2` to `from <prefix>.grpc.testing import …`
    for every package protoc generated here; `import grpc` (grpcio itself) is left alone."""
    generated = {".".join(p.relative_to(package_dir).parent.parts) for p in package_dir.rglob("*_pb2.py")}
    pattern = re.compile(r"^from (" + "|".join(re.escape(g) for g in generated if g) + r") import ", re.M)
    for path in package_dir.rglob("*.py"):
        text = path.read_text()
        rewritten = pattern.sub(lambda m: f"from {prefix}.{m.group(1)} import ", text)
        if rewritten != text:
            path.write_text(rewritten)


def load(module: str, kind: str = "contracts"):
    """Imports a generated module by its proto path, e.g. load("orderhub.v1.orders_pb2")."""
    generate(kind)
    return importlib.import_module(f"{_prefix(kind)}.{module}")
