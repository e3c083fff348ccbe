"""Ship the top-level templates/ folder inside the wheel as innsiden/_templates, and the
translation catalogs compiled (.mo files are built, never committed)."""

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
        self._compile_catalogs()

    def _compile_catalogs(self) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        source = Path(__file__).parent / "innsiden" / "translations"
        target = Path(self.build_lib) / "innsiden" / "translations"
        for po in source.glob("*/LC_MESSAGES/messages.po"):
            mo = target / po.relative_to(source).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=po.parent.parent.name)
            with mo.open("wb") as handle:
                write_mo(handle, catalog)


setup(cmdclass={"build_py": BuildWithTemplates})
