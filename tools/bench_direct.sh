#!/usr/bin/env bash
# ./lab bench, the "direct" run: the Terraform and Python commands of the nightly rebuild
# (entraSamlSetup, entraScimEnable abac, entraTeardown), in the order vars/*.groovy and
# src/io/entraidc/EntraRun.groovy run them, from this script without the pipeline harness:
# same work directory layout (the manifest's files copied into WORKDIR), same environment as the
# steps' toolEnvironment, no log labelling. Keep it in step with those files.
# usage: bench_direct.sh WORKDIR ACCOUNT... (the twin's environment exported, as ./lab twin env gives it)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
# shellcheck source=tools/common.sh
source "$here/common.sh"
work="$1"
shift
accounts=""
for a in "$@"; do accounts+=" --account $a"; done
tf_accounts=""
if [[ $# -lt 2 ]]; then
  list=$(printf '"%s",' "$@")
  tf_accounts="-var aws_accounts=[${list%,}]"
fi

rm -rf "$work"
mkdir -p "$work"
res="$root/resources/entraidc"
grep -v '^#' "$res/manifest.txt" | grep . | while read -r f; do
  mkdir -p "$work/$(dirname "$f")"
  cp "$res/$f" "$work/$f"
done
cd "$work"
set -f  # -var aws_accounts=[...] is one word, not a glob

# What Twin.agentEnvironment and EntraRun.toolEnvironment give the steps.
export ENTRAIDC_TERRAFORM="$ENTRAIDC_CACHE/bin/tofu" TF_CLI_CONFIG_FILE="$ENTRAIDC_CACHE/tofurc"
export ENTRAIDC_PYTHON="$ENTRAIDC_CACHE/venv/bin/python" PATH="$ENTRAIDC_CACHE/bin:$PATH"
export ENTRAIDC_AGENT_CACHE="${ENTRAIDC_BENCH_AGENT_CACHE:-$ENTRAIDC_CACHE/agent}"
export TF_PLUGIN_CACHE_DIR="$ENTRAIDC_AGENT_CACHE/plugin-cache"
export ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE=false TF_IN_AUTOMATION=1 TF_CLI_ARGS=-no-color TF_INPUT=0 CHECKPOINT_DISABLE=1
printf '%s' "$ENTRAIDC_PYTHON" > .python-path

# "run STEP PHASE command...": times each command, printed as StageLog closes a phase.
run() {
  local step="$1" label="$2"
  shift 2
  local t0 t1
  t0=$(date +%s.%N)
  "$@"
  t1=$(date +%s.%N)
  echo "[$step › $label › all] finished in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
}
tf() { "$ENTRAIDC_TERRAFORM" -chdir=terraform "$@"; }
py() { (cd python && "$ENTRAIDC_PYTHON" -m entraidc "$@"); }
plan_apply() { # step label scim abac
  local step="$1"
  shift
  run "$step" "sweep" py sweep --terraform-dir ../terraform $accounts
  # shellcheck disable=SC2086
  run "$step" "plan $1" tf plan -input=false -out=../plan.bin -var enable_scim="$2" -var enable_abac="$3" $tf_accounts
  run "$step" "plan $1" sh -c "\"$ENTRAIDC_TERRAFORM\" -chdir=terraform show -no-color ../plan.bin > plan-summary.txt"
  run "$step" "apply $1" tf apply -input=false ../plan.bin
}

# shellcheck disable=SC2086
{
  # entraSamlSetup
  run entraSamlSetup "prepare" tf init -input=false
  run entraSamlSetup "preflight" py preflight $accounts
  plan_apply entraSamlSetup saml false false
  run entraSamlSetup "verify" sh -c "rm -f verify-junit.xml && cd python && \"$ENTRAIDC_PYTHON\" -m entraidc verify --phase saml $accounts --junit ../verify-junit.xml"
  run entraSamlSetup "outputs" sh -c "\"$ENTRAIDC_TERRAFORM\" -chdir=terraform output -json > outputs.json"
  # entraScimEnable(abac: true)
  run entraScimEnable "prepare" tf init -input=false
  run entraScimEnable "preflight" py preflight --phase scim $accounts
  plan_apply entraScimEnable scim true true
  run entraScimEnable "scim-enable" py scim-enable $accounts
  plan_apply entraScimEnable "account access" true true
  run entraScimEnable "abac" py abac $accounts
  run entraScimEnable "verify" sh -c "rm -f verify-junit.xml && cd python && \"$ENTRAIDC_PYTHON\" -m entraidc verify --phase scim --abac $accounts --junit ../verify-junit.xml"
  run entraScimEnable "outputs" sh -c "\"$ENTRAIDC_TERRAFORM\" -chdir=terraform output -json > outputs.json"
  # entraTeardown
  run entraTeardown "prepare" tf init -input=false
  run entraTeardown "teardown" py teardown $accounts
  run entraTeardown "destroy" tf destroy -auto-approve -input=false -var enable_scim=false -var enable_abac=false $tf_accounts
  run entraTeardown "sweep" py teardown --all-marked $accounts
  run entraTeardown "sweep" py sweep --terraform-dir ../terraform $accounts
}
