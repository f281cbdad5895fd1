package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * Checks, before anything else runs on the agent, the tools the steps need: bash, python3
 * (≥ 3.11, or ≥ 3.8 for the log labeller when the agent's ENTRAIDC_PYTHON ≥ 3.11 runs the
 * automation), the Terraform CLI (ENTRAIDC_TERRAFORM,
 * default terraform) at a supported version, and the Azure CLI unless a service principal is
 * bound. The probe is POSIX sh, so it runs where bash is missing too.
 */
class AgentPrerequisites implements Serializable {
    static final List<Integer> PYTHON_MIN = [3, 11]
    /** resources/entraidc/python/label_lines.py is written for any Python 3.8+ (LabellerPythonVersionTest). */
    static final List<Integer> LABELLER_PYTHON_MIN = [3, 8]
    /** Terraform ≥ 1.5 and OpenTofu ≥ 1.8 run the module; S3 lock files (use_lockfile) need ≥ 1.10 of either. */
    static final Map<String, List<Integer>> CLI_MIN = [Terraform: [1, 5], OpenTofu: [1, 8]]
    static final List<Integer> S3_LOCKFILE_MIN = [1, 10]

    static final String PROBE = '''#!/bin/sh
version() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>&1 | head -n 1; }
tf="${ENTRAIDC_TERRAFORM:-terraform}"
echo "bash|$(command -v bash || true)|"
if command -v python3 >/dev/null 2>&1; then
  echo "python3|$(command -v python3)|$(version python3)"
  [ -n "${ENTRAIDC_PYTHON:-}" ] || echo "venv|python3|$(python3 -c 'import venv, ensurepip; print("ok")' 2>&1 | tail -n 1)"
else
  echo "python3||"
fi
if [ -n "${ENTRAIDC_PYTHON:-}" ]; then
  if command -v "$ENTRAIDC_PYTHON" >/dev/null 2>&1; then
    echo "ENTRAIDC_PYTHON|$ENTRAIDC_PYTHON|$(version "$ENTRAIDC_PYTHON")"
  else
    echo "ENTRAIDC_PYTHON|$ENTRAIDC_PYTHON|"
  fi
fi
if command -v "$tf" >/dev/null 2>&1; then
  # The version line need not be the first: the CLI may print warnings (e.g. about its configuration) before it.
  echo "terraform|$(command -v "$tf")|$("$tf" version 2>&1 | grep -m 1 -E '^(Terraform|OpenTofu) v' || true)"
else
  echo "terraform|$tf|"
fi
echo "az|$(command -v az || true)|"
'''

    /** Runs the probe; returns what it found, or ends the build with error listing everything missing. */
    static List<String> check(def steps, String step, Map options) {
        String probe = steps.sh(script: PROBE, returnStdout: true, label: "${step} › prerequisites")
        List<String> problems = problemsOf(probe, options)
        if (problems) {
            throw new PhaseFailure('prepare', StageLog.ALL_ACCOUNTS, "the agent lacks prerequisites: ${problems.join('; ')}")
        }
        return foundOf(probe)
    }

    @NonCPS
    static List<String> problemsOf(String probe, Map options) {
        Map<String, List<String>> found = parse(probe)
        List<String> problems = []
        if (!found.bash?.getAt(0)) {
            problems << 'bash is not on the PATH (the steps run their scripts with it)'
        }
        problems.addAll(pythonProblems(found))
        problems.addAll(terraformProblems(found.terraform, options))
        if (!options.azureCredentialsId && !found.az?.getAt(0)) {
            problems << 'the Azure CLI (az) is not on the PATH: install it and az login, or pass azureCredentialsId'
        }
        return problems
    }

    /**
     * python3 runs the log labeller (any 3.8+) and, without ENTRAIDC_PYTHON, builds the
     * automation's virtual environment (3.11+ with venv); ENTRAIDC_PYTHON runs the automation.
     */
    @NonCPS
    private static List<String> pythonProblems(Map<String, List<String>> found) {
        List<String> problems = []
        String python3 = found.python3?.getAt(1)
        boolean own = found.containsKey('ENTRAIDC_PYTHON')
        List<Integer> python3Min = own ? LABELLER_PYTHON_MIN : PYTHON_MIN
        if (!(python3 ==~ /\d+\.\d+\.\d+/)) {
            problems << "python3 is not on the PATH: install Python ${python3Min.join('.')} or later".toString()
        } else if (older(python3, python3Min)) {
            problems << "python3 is Python ${python3}; ${own ? 'the log labeller' : 'the automation'} needs ${python3Min.join('.')} or later${own ? '' : ' (or set ENTRAIDC_PYTHON)'}".toString()
        } else if (found.venv != null && found.venv[1] != 'ok') {
            problems << 'python3 cannot create virtual environments (no venv/ensurepip module: install python3-venv), or set ENTRAIDC_PYTHON'
        }
        if (own) {
            String version = found.ENTRAIDC_PYTHON[1]
            if (!(version ==~ /\d+\.\d+\.\d+/)) {
                problems << "ENTRAIDC_PYTHON '${found.ENTRAIDC_PYTHON[0]}' does not run as a Python interpreter".toString()
            } else if (older(version, PYTHON_MIN)) {
                problems << "ENTRAIDC_PYTHON '${found.ENTRAIDC_PYTHON[0]}' is Python ${version}; the automation needs ${PYTHON_MIN.join('.')} or later".toString()
            }
        }
        return problems
    }

    @NonCPS
    private static List<String> terraformProblems(List<String> found, Map options) {
        String cli = found?.getAt(0) ?: 'terraform'
        def match = ((found?.getAt(1) ?: '') =~ /^(Terraform|OpenTofu) v(\d+\.\d+\.\d+)/)
        if (!match.find()) {
            return ["no Terraform CLI at '${cli}': install Terraform ${CLI_MIN.Terraform.join('.')}+ or OpenTofu ${CLI_MIN.OpenTofu.join('.')}+, or set ENTRAIDC_TERRAFORM".toString()]
        }
        String name = match.group(1)
        String version = match.group(2)
        List<Integer> min = CLI_MIN[name]
        if (options.stateBackend == 's3' && older(min.join('.') + '.0', S3_LOCKFILE_MIN)) {
            min = S3_LOCKFILE_MIN
        }
        if (older(version, min)) {
            String why = min == S3_LOCKFILE_MIN ? ' for the S3 state backend with lock files' : ''
            return ["${cli} is ${name} ${version}; the module needs ${name} ${min.join('.')} or later${why}".toString()]
        }
        return []
    }

    @NonCPS
    private static List<String> foundOf(String probe) {
        Map<String, List<String>> found = parse(probe)
        List<String> lines = []
        for (String tool : found.keySet()) {
            if (found[tool][0]) {
                lines << "${tool}: ${found[tool][0]}${found[tool][1] && found[tool][1] != 'ok' ? ' (' + found[tool][1] + ')' : ''}".toString()
            }
        }
        return lines
    }

    /** "name|path|version" lines -> name -> [path, version]. */
    @NonCPS
    private static Map<String, List<String>> parse(String probe) {
        Map<String, List<String>> found = [:]
        for (String line : probe.readLines()) {
            List<String> fields = line.split('\\|', -1).toList()
            if (fields.size() == 3) {
                found[fields[0]] = [fields[1].trim(), fields[2].trim()]
            }
        }
        return found
    }

    @NonCPS
    private static boolean older(String version, List<Integer> min) {
        List<Integer> parts = version.tokenize('.').collect { it as int }
        for (int i = 0; i < min.size(); i++) {
            if (parts[i] != min[i]) {
                return parts[i] < min[i]
            }
        }
        return false
    }
}
