"""Package layout; everything else is in pyproject.toml.

The rules pack stays in rules/ at the top of the repository (one source, no
copy) and is shipped as ``fazhi_audit/rules_data`` inside the wheel: mapping a
directory outside src/ into the package needs ``package_dir`` next to the
discovered packages, which pyproject.toml's ``packages.find`` cannot express.
"""

from setuptools import find_namespace_packages, setup

setup(
    # Namespace-aware like pyproject's own discovery: a subpackage without __init__.py is still shipped.
    packages=[*find_namespace_packages("src", include=["fazhi_audit", "fazhi_audit.*"], exclude=["*.__pycache__"]), "fazhi_audit.rules_data"],
    package_dir={"": "src", "fazhi_audit.rules_data": "rules"},
)
