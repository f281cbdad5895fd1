#!/usr/bin/env bash
# Terraform suite (called by `./lab test terraform` with RESULTS_DIR set): fmt, offline init
# and validate with the real providers, plan-level tests with mock providers, static checks of
# providers and labels, and checkov. Writes JUnit XML into $RESULTS_DIR; exits non-zero when
# anything failed.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${ENTRAIDC_CACHE:-$HOME/.cache/entra-idc}"
results="${RESULTS_DIR:-$root/build/test-results/terraform}"
module="$root/resources/entraidc/terraform"
work="$root/build/terraform"
tofu="$cache/bin/tofu"
# shellcheck source=tools/versions.env
source "$root/tools/versions.env"
checkov_version="$CHECKOV_VERSION"
checkov_venv="$cache/checkov-$checkov_version"
pytest_python="$cache/venv/bin/python"

export TF_CLI_CONFIG_FILE="${ENTRAIDC_TOFURC:-$cache/tofurc}"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
mkdir -p "$results"
[[ -x "$tofu" && -f "$TF_CLI_CONFIG_FILE" ]] || { echo "run.sh: $tofu or $TF_CLI_CONFIG_FILE missing; run ./lab toolchain terraform" >&2; exit 1; }

status=0
step() { # name command... : runs the command, records one JUnit case
  local name="$1" log rc
  shift
  log="$(mktemp)"
  echo "-- $name"
  "$@" >"$log" 2>&1
  rc=$?
  [[ $rc -eq 0 ]] || { cat "$log"; status=1; }
  python3 "$here/junit.py" step "$name" "$rc" "$log" "$results/$name.xml"
  rm -f "$log"
  return $rc
}

# The module is shipped to Jenkins agents as is: init and tests run in a copy, so neither
# .terraform/ nor a lock file nor the tests end up in it.
rm -rf "$work"
mkdir -p "$work"
cp -r "$module" "$work/terraform"
rm -rf "$work/terraform/.terraform" "$work/terraform/.terraform.lock.hcl"
# OpenTofu 1.12 has no shared mock files (mock_provider "source" is Terraform >= 1.7): every
# test file gets the one definition of the mock providers appended.
mocks="$here/tests/mocks/providers.hcl"
root_overrides="$here/tests/mocks/root_module_overrides.hcl"
mkdir -p "$work/terraform/tests"
for test in "$here"/tests/*.tftest.hcl; do
  extra=("$mocks")
  grep -q 'source = "./modules/' "$test" || extra+=("$root_overrides") # a test of the root module
  { cat "$test"; for file in "${extra[@]}"; do echo; cat "$file"; done; } >"$work/terraform/tests/$(basename "$test")"
done
mkdir -p "$work/python" # the provisioners' working directory (../python); nothing runs there

step fmt "$tofu" fmt -check -recursive -diff "$module" "$here/tests"
step fmt-mocks bash -c '"$1" fmt - <"$2" | diff -u "$2" - && "$1" fmt - <"$3" | diff -u "$3" -' fmt "$tofu" "$mocks" "$root_overrides"
if step init "$tofu" -chdir="$work/terraform" init -backend=false -input=false -no-color; then
  step validate "$tofu" -chdir="$work/terraform" validate -no-color
  echo "-- tofu test (mock providers)"
  # Apply runs execute the provisioners: ENTRAIDC_PYTHON=true turns each into `true -m ...`.
  (cd "$work/terraform" && ENTRAIDC_PYTHON=true "$tofu" test -no-color -json >"$work/tofu-test.json" 2>"$work/tofu-test.err") || status=1
  python3 "$here/junit.py" tofu-test "$work/tofu-test.json" "$results/tofu-test.xml"
  python3 "$here/junit.py" summary "$work/tofu-test.json"
  cat "$work/tofu-test.err"
fi

# The oldest OpenTofu the module supports (tools/versions.env OPENTOFU_OLDEST_VERSION): init,
# validate and the same mock tests, in a copy of its own.
tofu_oldest="$cache/bin/tofu-oldest"
if [[ -x "$tofu_oldest" ]]; then
  cp -r "$work/terraform" "$work/terraform-oldest-tofu"
  rm -rf "$work/terraform-oldest-tofu/.terraform" "$work/terraform-oldest-tofu/.terraform.lock.hcl"
  if step init-oldest-tofu "$tofu_oldest" -chdir="$work/terraform-oldest-tofu" init -backend=false -input=false -no-color; then
    step validate-oldest-tofu "$tofu_oldest" -chdir="$work/terraform-oldest-tofu" validate -no-color
    step test-oldest-tofu bash -c 'cd "$1" && ENTRAIDC_PYTHON=true "$2" test -no-color' test "$work/terraform-oldest-tofu" "$tofu_oldest"
  fi
else
  echo "run.sh: $tofu_oldest is missing; run ./lab toolchain terraform" >&2
  status=1
fi

# Terraform 1.5.7 (the last MPL-2.0 release, built by ./lab toolchain for this purpose only)
# proves that the module keeps working on the oldest Terraform it declares.
terraform157="$cache/bin/terraform-1.5.7"
if [[ -x "$terraform157" ]]; then
  cp -r "$module" "$work/terraform-1.5.7"
  rm -rf "$work/terraform-1.5.7/.terraform" "$work/terraform-1.5.7/.terraform.lock.hcl"
  if step init-terraform-1.5.7 "$terraform157" -chdir="$work/terraform-1.5.7" init -backend=false -input=false -no-color; then
    step validate-terraform-1.5.7 "$terraform157" -chdir="$work/terraform-1.5.7" validate -no-color
  fi
else
  echo "-- $terraform157 not built: Terraform 1.5 compatibility not checked"
fi

echo "-- static checks (providers, lock file, labels)"
tf157_workdir=""
[[ -f "$work/terraform-1.5.7/.terraform.lock.hcl" ]] && tf157_workdir="$work/terraform-1.5.7"
ENTRAIDC_TF_MODULE="$module" ENTRAIDC_TF_WORKDIR="$work/terraform" ENTRAIDC_TOFU="$tofu" \
  ENTRAIDC_TF_WORKDIR_TERRAFORM_157="$tf157_workdir" \
  "$pytest_python" -m pytest -q -p no:cacheprovider -o addopts="" -o junit_suite_name=terraform-static \
  --junitxml="$results/static.xml" "$here/test_static.py" || status=1

# checkov has its own venv (tools/toolchain-checkov.sh); the tests install nothing.
echo "-- checkov $checkov_version"
if [[ -x "$checkov_venv/bin/checkov" ]]; then
  "$checkov_venv/bin/checkov" --skip-download --quiet --compact --framework terraform --download-external-modules false \
    -d "$module" -o cli -o junitxml --output-file-path console,"$results/checkov.xml" || status=1
else
  echo "run.sh: checkov $checkov_version is not installed ($checkov_venv); run ./lab toolchain python" >&2
  status=1
fi

exit $status
