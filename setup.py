"""Build hook: ship the default settings, the notebooks and the sample authority inside the wheel.

They live at the top of the repository, where analysts find them; an installed package finds its
copies in ``analysis/_shipped`` (see ``analysis.paths``). Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = {"config": ["default.toml", "question-sample.toml"], "notebooks": ["*.ipynb"], "data/sample": ["*.csv"]}


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        root = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "analysis" / "_shipped"
        for folder, patterns in SHIPPED.items():
            for pattern in patterns:
                for source in sorted((root / folder).glob(pattern)):
                    destination = target / folder / source.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)


setup(cmdclass={"build_py": BuildWithShippedFiles})
