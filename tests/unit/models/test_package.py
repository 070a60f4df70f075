import os
from pathlib import Path

import pytest

from eternal.models import ModelPackage, PackageError
from tests.unit.models.conftest import COG_YAML, ETERNAL_YAML, PREDICT_PY, write_package


def test_a_valid_package_loads_with_its_metadata_config_and_files(package_dir: Path) -> None:
    package = ModelPackage.load(package_dir)
    assert package.path == package_dir
    assert package.metadata.name == "tiny-echo"
    assert package.cog.predict_file == "predict.py"
    assert package.cog.predict_class == "Predictor"
    assert package.cog.python_version == "3.11"
    assert package.cog.python_packages == ("numpy>=1.26",)
    assert package.files == (
        "README.md",
        "cog.yaml",
        "eternal.yaml",
        "predict.py",
        "scripts/train.sh",
        "weights/model.bin",
    )


def test_version_control_and_cache_files_are_left_out(package_dir: Path) -> None:
    junk = [
        ".git/config",
        "__pycache__/predict.cpython-311.pyc",
        "helpers.pyc",
        ".DS_Store",
        ".cog-test.log",
        ".venv/lib/site.py",
        "weights/.DS_Store",
    ]
    for name in junk:
        (package_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (package_dir / name).write_text("junk")
    (package_dir / ".cog").mkdir()
    (package_dir / ".cog" / "openapi_schema.json").write_text("{}")
    files = ModelPackage.load(package_dir).files
    assert not set(junk) & set(files)
    assert ".cog/openapi_schema.json" in files


def test_requirements_file_lines_join_the_python_packages(tmp_path: Path) -> None:
    cog = COG_YAML.replace("predict:", "build_extra: 1\npredict:").replace(
        "  python_packages:", "  python_requirements: requirements.txt\n  python_packages:"
    )
    package_dir = write_package(
        tmp_path / "p",
        {"cog.yaml": cog, "requirements.txt": "# pinned\ntorch==2.13.0  # cpu\n\nscipy>=1.11\n"},
    )
    packages = ModelPackage.load(package_dir).cog.python_packages
    assert packages == ("numpy>=1.26", "torch==2.13.0", "scipy>=1.11")


def test_a_run_method_is_accepted_as_the_entry_point(tmp_path: Path) -> None:
    source = PREDICT_PY.replace("def predict(", "def run(")
    package = ModelPackage.load(write_package(tmp_path / "p", {"predict.py": source}))
    assert package.files


def test_an_entry_point_inherited_from_a_class_in_the_same_file_is_found(tmp_path: Path) -> None:
    source = PREDICT_PY.replace("class Predictor(BasePredictor):", "class Base(BasePredictor):")
    source += "\n\nclass Predictor(Base):\n    pass\n"
    ModelPackage.load(write_package(tmp_path / "p", {"predict.py": source}))


def test_inputs_are_not_compared_when_predict_takes_kwargs(tmp_path: Path) -> None:
    source = PREDICT_PY.replace("seed: int = Input(default=0),", "**options: int,")
    ModelPackage.load(write_package(tmp_path / "p", {"predict.py": source}))


def test_a_symlink_to_a_file_inside_is_packed_as_that_file(package_dir: Path) -> None:
    (package_dir / "weights" / "alias.bin").symlink_to(package_dir / "weights" / "model.bin")
    assert "weights/alias.bin" in ModelPackage.load(package_dir).files


BAD_PACKAGES = {
    "no cog.yaml": ({"cog.yaml": None}, "tiny: no cog.yaml"),
    "cog.yaml not yaml": ({"cog.yaml": "build: [unclosed"}, "cog.yaml: not valid YAML"),
    "no predict key": ({"cog.yaml": "build: {}\n"}, "predict: Field required"),
    "malformed predict": (
        {"cog.yaml": 'predict: "predict.py"\n'},
        "'predict.py' is not of the form 'file.py:ClassName'",
    ),
    "predict escapes": (
        {"cog.yaml": 'predict: "../predict.py:Predictor"\n'},
        "must name a file inside the package",
    ),
    "predict file missing": ({"predict.py": None}, "predict.py (cog.yaml's predict) is missing"),
    "no Predictor class": (
        {"predict.py": PREDICT_PY.replace("class Predictor", "class Model")},
        "predict.py has no class Predictor",
    ),
    "no predict method": (
        {"predict.py": PREDICT_PY.replace("def predict(", "def infer(")},
        "class Predictor in predict.py has no predict or run method",
    ),
    "predict.py syntax error": (
        {"predict.py": PREDICT_PY + "\ndef broken(:\n"},
        "predict.py does not parse: line",
    ),
    "bad requirement": (
        {"cog.yaml": COG_YAML.replace('"numpy>=1.26"', '"numpy >>= 1"')},
        "'numpy >>= 1' is not a valid requirement",
    ),
    "unquoted python version": (
        {"cog.yaml": COG_YAML.replace('"3.11"', "3.10")},
        "write python_version as a quoted string: YAML read it as 3.1",
    ),
    "pip option in requirements": (
        {
            "cog.yaml": COG_YAML.replace(
                "  python_packages:", "  python_requirements: requirements.txt\n  python_packages:"
            ),
            "requirements.txt": "--index-url https://example.org/simple\nnumpy\n",
        },
        "requirements.txt:1: pip option '--index-url https://example.org/simple' is not allowed",
    ),
    "requirements file missing": (
        {
            "cog.yaml": COG_YAML.replace(
                "  python_packages:", "  python_requirements: requirements.txt\n  python_packages:"
            )
        },
        "build.python_requirements names requirements.txt, which is not a file",
    ),
    "no eternal.yaml": ({"eternal.yaml": None}, "no eternal.yaml"),
    "unknown input type": (
        {"eternal.yaml": ETERNAL_YAML.replace("type: string", "type: strng")},
        "input 'prompt' has unknown type 'strng'",
    ),
    "metadata breaks the schema": (
        {"eternal.yaml": ETERNAL_YAML.replace("modality: text", "modality: smell")},
        "modality",
    ),
    "missing weights": ({"weights/model.bin": None}, "weights file weights/model.bin is missing"),
    "weights outside": (
        {"eternal.yaml": ETERNAL_YAML.replace("weights/model.bin", "../model.bin")},
        "weights path ../model.bin must be relative, inside the package",
    ),
    "absolute weights": (
        {"eternal.yaml": ETERNAL_YAML.replace("weights/model.bin", "/etc/passwd")},
        "weights path /etc/passwd must be relative, inside the package",
    ),
    "input without parameter": (
        {"eternal.yaml": ETERNAL_YAML.replace("output:", "  style: {type: string}\noutput:")},
        "input 'style' is declared in eternal.yaml but Predictor.predict() has no such parameter",
    ),
    "parameter without input": (
        {"predict.py": PREDICT_PY.replace("seed: int", "temperature: float = 1.0, seed: int")},
        "Predictor.predict() parameter 'temperature' is not declared in eternal.yaml's inputs",
    ),
}


@pytest.mark.parametrize(("changes", "message"), BAD_PACKAGES.values(), ids=BAD_PACKAGES.keys())
def test_a_bad_package_is_refused_with_a_message_naming_the_problem(
    tmp_path: Path, changes: dict[str, str | None], message: str
) -> None:
    package_dir = write_package(tmp_path / "tiny", changes)
    with pytest.raises(PackageError) as caught:
        ModelPackage.load(package_dir)
    assert message in str(caught.value)
    assert str(package_dir) in str(caught.value)


def test_a_path_that_is_not_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="not a directory"):
        ModelPackage.load(tmp_path / "nowhere")


def test_weights_symlinked_from_outside_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.bin"
    outside.write_bytes(b"secret")
    package_dir = write_package(tmp_path / "p", {"weights/model.bin": None})
    (package_dir / "weights").mkdir()
    (package_dir / "weights" / "model.bin").symlink_to(outside)
    with pytest.raises(PackageError, match=r"weights/model.bin .*outside the package"):
        ModelPackage.load(package_dir)


def test_a_symlinked_directory_is_refused(package_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    os.symlink(tmp_path / "shared", package_dir / "shared")
    with pytest.raises(PackageError, match="shared is a symlink to a directory"):
        ModelPackage.load(package_dir)


def test_weights_hidden_among_junk_are_refused(tmp_path: Path) -> None:
    metadata = ETERNAL_YAML.replace("weights/model.bin", "__pycache__/model.bin")
    package_dir = write_package(
        tmp_path / "p", {"eternal.yaml": metadata, "__pycache__/model.bin": b"w"}
    )
    with pytest.raises(PackageError, match="would not be packed"):
        ModelPackage.load(package_dir)


def test_a_file_name_with_a_backslash_is_refused(package_dir: Path) -> None:
    (package_dir / "weights\\evil.bin").write_bytes(b"w")
    with pytest.raises(PackageError, match="contains a backslash"):
        ModelPackage.load(package_dir)
