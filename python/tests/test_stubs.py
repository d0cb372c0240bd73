"""The type stubs (_iota_streams.pyi) describe the module as built: every class and method the stubs
name exists, with the parameter names the stubs give, and every public method of the module is in them."""
import ast
import inspect
import os

import pytest

import iota_streams
from iota_streams import _iota_streams

STUBS = os.path.join(os.path.dirname(iota_streams.__file__), "_iota_streams.pyi")


def stub_classes():
    tree = ast.parse(open(STUBS).read())
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    methods = {}
    for name, node in classes.items():
        own = {f.name: [a.arg for a in f.args.args if a.arg != "self"] for f in node.body if isinstance(f, ast.FunctionDef)}
        for base in node.bases:  # the stub-only base _User holds the shared methods
            if isinstance(base, ast.Name) and base.id.startswith("_"):
                own = {**{f.name: [a.arg for a in f.args.args if a.arg != "self"]
                          for f in classes[base.id].body if isinstance(f, ast.FunctionDef)}, **own}
        methods[name] = own
    return {name: m for name, m in methods.items() if not name.startswith("_")}


def test_stubs_are_installed():
    assert os.path.exists(STUBS)
    assert os.path.exists(os.path.join(os.path.dirname(STUBS), "py.typed"))


@pytest.mark.parametrize("name,methods", sorted(stub_classes().items()))
def test_stub_class_matches_the_module(name, methods):
    cls = getattr(_iota_streams, name)
    for method, params in methods.items():
        if method == "__init__" or method == "transport":
            continue
        assert hasattr(cls, method), f"{name}.{method} is in the stubs, not in the module"
        doc = getattr(cls, method).__doc__ or ""
        for param in params:  # pybind11 signatures name each argument
            assert f"{param}:" in doc, f"{name}.{method}: no parameter {param} in {doc.splitlines()[:1]}"
    public = {m for m, _ in inspect.getmembers(cls) if not m.startswith("_")} - set(dir(Exception))
    missing = public - set(methods) - {"transport"}
    assert not missing, f"{name}: {sorted(missing)} are not in the stubs"
