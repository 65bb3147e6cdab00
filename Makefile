# Set-up on a fresh machine is two commands (README.md「快速开始」):
#   make demo   检查自带的样例报告
#   make test   运行全部测试（参数：make test ARGS="tests/test_cli.py -x"）
#   make test-fast  只跑快速测试（跳过标为 slow 的浏览器、LibreOffice、打包等测试）
# Each creates .venv with `python3 -m venv` and installs the project into it
# (editable, with the test extra) when that has not been done yet, or when
# pyproject.toml/setup.py changed since. A virtual environment works where the
# system Python refuses `pip install` (PEP 668) and needs no `python` command.
# System packages (chromium, LibreOffice) are not installed here: .ci/run does.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ARGS ?=

.PHONY: demo test test-fast setup
.DEFAULT_GOAL := demo

setup: $(STAMP)

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "未找到 $(PYTHON)：请先安装 Python 3.11 或更高版本" >&2; exit 2; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "需要 Python 3.11 或更高版本，当前 $(PYTHON) 为 $$($(PYTHON) -V 2>&1)；可用 make PYTHON=python3.12 指定" >&2; exit 2; }
	@echo "创建虚拟环境 $(VENV) ……"
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "未能创建虚拟环境：请先安装 python3-venv（Debian/Ubuntu：apt-get install python3-venv）" >&2; exit 2; }

# Reinstalled when the dependency lists change; the stamp records a finished install.
$(STAMP): $(BIN)/python pyproject.toml setup.py
	@echo "安装 fazhi-audit 及其依赖到 $(VENV)（首次需下载约 200 MB，数分钟）……"
	$(BIN)/python -m pip install --disable-pip-version-check -e ".[test]"
	@touch $@

# Exit 1 means some sample reports fail the check: several seeds are real
# reports with real gaps, so that is the expected outcome, not an error.
demo: $(STAMP)
	@status=0; $(BIN)/fazhi-audit check seeds/ || status=$$?; \
	if [ $$status -eq 1 ]; then echo "（退出码 1：部分样例报告未通过检查，这是预期结果，说明见 README「快速开始」）"; \
	elif [ $$status -ne 0 ]; then echo "fazhi-audit 以退出码 $$status 结束：未能完成检查" >&2; exit $$status; fi

test: $(STAMP)
	@status=0; $(BIN)/python -m pytest $(ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest 没有收集到任何测试（退出码 5），请检查 ARGS" >&2; fi; \
	exit $$status

# The everyday loop: everything but the tests marked slow (pyproject.toml
# [tool.pytest.ini_options] markers): about 72 s of CPU time, under 90 s on 2 cores.
test-fast: $(STAMP)
	@$(MAKE) --no-print-directory test ARGS='-m "not slow" $(ARGS)'
