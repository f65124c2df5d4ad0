"""Generates Python protobuf and grpcio stubs from the project's .proto files at test time.

Stock clients are built from the same `Protos/` that users generate from, never from
checked-in Python code, so a contract change is seen by the tests at once.
"""
import importlib
import pathlib
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
    """Generates stubs for one proto tree once per process and puts them on sys.path."""
    if kind in _generated:
        return _generated[kind]
    root = PROTO_ROOTS[kind]
    out = pathlib.Path(tempfile.mkdtemp(prefix=f"orderhub-stubs-{kind}-"))
    protos = sorted(str(p.relative_to(root)) for p in root.rglob("*.proto"))
    args = ["protoc", f"-I{root}", *[f"-I{d}" for d in _include_dirs()],
            f"--python_out={out}", f"--grpc_python_out={out}", *protos]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed for {kind}: {' '.join(args)}")
    # No __init__.py: the generated directories are namespace packages, so `google/api` joins
    # protobuf's `google` namespace instead of hiding it. (`grpc/...` stubs cannot be imported by
    # package name next to grpcio's regular `grpc` package; load those by path.)
    sys.path.insert(0, str(out))
    importlib.invalidate_caches()
    _generated[kind] = out
    return out


def load(module: str, kind: str = "contracts"):
    """Imports a generated module, e.g. load("orderhub.v1.orders_pb2")."""
    generate(kind)
    return importlib.import_module(module)
