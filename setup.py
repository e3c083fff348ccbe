"""Ship the top-level templates/ folder inside the wheel as innsiden/_templates."""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithTemplates(build_py):
    """Copy templates/ into the built package so an installed wheel can render pages."""

    def run(self) -> None:
        super().run()
        source = Path(__file__).parent / "templates"
        target = Path(self.build_lib) / "innsiden" / "_templates"
        for path in source.rglob("*"):
            if path.is_file():
                destination = target / path.relative_to(source)
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(path.read_bytes())


setup(cmdclass={"build_py": BuildWithTemplates})
