package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * One run of an entra step on the agent: validated options, the work directory, the tools,
 * and the phases, each logged under "step › phase › account" with its elapsed time.
 * Parameters are validated in the constructor, before any sh step runs.
 */
class EntraRun implements Serializable {
    static final String LOCK_RESOURCE = 'entra-idc-azure-identity-provider'
    /**
     * The variable a caller names in its own {@code lock(resource: LOCK_RESOURCE, variable: ...)}
     * (the lab job holds the lock for a whole rebuild): lockable-resources is not re-entrant, so a
     * step inside that lock must not ask for it again.
     */
    static final String LOCK_VARIABLE = 'ENTRAIDC_LOCK'
    /** The Python commands' JSON results (cli.py --result-file), for the lifecycle report. */
    static final String COMMAND_RESULTS = 'command-results.jsonl'
    /** What terraform apply and destroy print, for the report's list of resources created and removed. */
    static final String TERRAFORM_LOG = 'terraform-apply.log'
    /**
     * What a run leaves in the work directory for junit, archiveArtifacts and the lifecycle report;
     * removed by prepare (with the report, reportName).
     */
    static final List<String> RUN_OUTPUTS = ['plan.bin', 'plan.json', 'plan-summary.txt', 'outputs.json', 'verify-junit.xml',
                                             COMMAND_RESULTS, TERRAFORM_LOG]

    private final def steps
    final String step
    final Map<String, Object> options
    final StageLog log
    private final ToolRunner tools
    private final AgentWorkspace workspace
    final Map<String, Object> results = [:]

    /**
     * Validates {@code args} and starts a run; bad parameters end the build with {@code error}
     * (Jenkins prints its message without a stack trace), before any sh step.
     */
    static EntraRun start(def steps, String step, Map args) {
        String problem = StepOptions.problemsOf(step, args)
        if (problem) {
            steps.error(problem)
        }
        return new EntraRun(steps, step, args)
    }

    EntraRun(def steps, String step, Map args) {
        this.steps = steps
        this.step = step
        this.options = StepOptions.validate(step, args)
        this.log = new StageLog(steps, step)
        this.workspace = new AgentWorkspace(steps, (String) options.workDir)
        this.tools = new ToolRunner(steps, log, (String) options.workDir)
    }

    /**
     * Runs {@code body} under the tenant lock (unless the caller already holds it, see
     * LOCK_VARIABLE), the time limit and the tool environment. The time limit also bounds the wait
     * for the lock: lockable-resources' lock has no limit of its own, and a build that holds the
     * resource without naming it in LOCK_VARIABLE would wait for itself forever.
     */
    Map execute(Closure body) {
        long startedMillis = System.currentTimeMillis()
        Throwable failure = null
        try {
            if (callerHoldsTheLock()) {
                log.line('lock', null, "the build holds ${LOCK_RESOURCE} already (${LOCK_VARIABLE}); not asking for it again")
                steps.timeout(time: options.timeoutMinutes, unit: 'MINUTES') {
                    runWithTools(body)
                }
            } else {
                runUnderTheLock(body)
            }
        } catch (Throwable t) {
            failure = t
            throw t
        } finally {
            // Also after a failed apply or a timeout: the plan that was applied is kept, and the report says what happened.
            writeReport(startedMillis, failure)
            archive()
        }
        return results
    }

    private boolean callerHoldsTheLock() {
        String held = steps.env[LOCK_VARIABLE]
        return held != null && held.split(',').contains(LOCK_RESOURCE)
    }

    private void runUnderTheLock(Closure body) {
        boolean acquired = false
        long waitStarted = System.currentTimeMillis()
        try {
            steps.timeout(time: options.timeoutMinutes, unit: 'MINUTES') {
                steps.lock(resource: LOCK_RESOURCE) {
                    acquired = true
                    runWithTools(body)
                }
            }
        } catch (Throwable t) {
            if (!acquired) {
                log.line('lock', null, "stopped after waiting ${(System.currentTimeMillis() - waitStarted).intdiv(1000)} s for the lock " +
                        "${LOCK_RESOURCE} (the step's timeoutMinutes, ${options.timeoutMinutes}, bounds the wait): another build holds it " +
                        '(Lockable Resources shows which), or this build holds it itself without saying so: a caller that holds it ' +
                        "must name ${LOCK_VARIABLE} in its lock, lock(resource: '${LOCK_RESOURCE}', variable: '${LOCK_VARIABLE}'), " +
                        'since the lock is not re-entrant')
            }
            throw t
        }
    }

    private void runWithTools(Closure body) {
        withAzureCredentials {
            steps.withEnv(toolEnvironment()) {
                body()
            }
        }
    }

    /** Where this run's lifecycle report goes (the drift check's own, so it does not replace the setup's in the build). */
    String reportName(String extension) {
        return "lifecycle-${step}${options.driftCheck ? '-drift-check' : ''}.${extension}"
    }

    /**
     * The lifecycle report (report.py): the phases StageLog recorded, the checks, what was created
     * and removed, the access portals. Rendered by the agent's python3 (standard library only), so
     * also after a prepare that failed before the virtual environment; never fails the step.
     */
    private void writeReport(long startedMillis, Throwable failure) {
        String result = failure == null ? (results.checks?.failed || results.drift ? 'UNSTABLE' : 'SUCCESS')
                : (failure.getClass().simpleName == 'FlowInterruptedException' ? 'ABORTED' : 'FAILURE')
        steps.writeJSON(file: "${options.workDir}/${reportName('json')}", json: [step: step, partitions: options.partitions, result: result,
                error: failure?.message, startedMillis: startedMillis, finishedMillis: System.currentTimeMillis(),
                phases: log.timeline()])
        if (!steps.fileExists("${options.workDir}/python/entraidc/report.py")) {
            log.line('report', null, "no lifecycle report: the step stopped before it copied its scripts into ${options.workDir}")
            return
        }
        try {
            tools.run('report', null, "rm -f ${reportName('html')} && cd python && python3 -m entraidc.report " +
                    "--timeline ../${reportName('json')} --html ../${reportName('html')} --junit ../verify-junit.xml " +
                    "--outputs ../outputs.json --results ../${COMMAND_RESULTS} --terraform-log ../${TERRAFORM_LOG}")
        } catch (PhaseFailure reportFailure) {
            log.line('report', null, "no lifecycle report (${reportFailure.message}); the step's own result stands")
        }
    }

    /** One phase: opened and closed with its elapsed time; a failure names phase, account and next step. */
    void phase(String name, String account, Closure body) {
        if (options.useStages) {
            steps.stage("${step}: ${name}") {
                runPhase(name, account, body)
            }
        } else {
            runPhase(name, account, body)
        }
    }

    private void runPhase(String name, String account, Closure body) {
        log.open(name, account)
        try {
            body()
        } catch (PhaseFailure failure) {
            String next = failure.next ?: (failure.stateLocked ? STATE_LOCKED_NEXT : nextStepAfter(name))
            log.fail(name, account, failure.account, failure.message, next)
            steps.error("${step}: ${failure.message}. Next: ${next}")
        }
        log.close(name, account)
    }

    /** Copies the module and scripts, prepares Python and initialises Terraform. */
    void prepare() {
        phase('prepare', null) {
            for (String found : AgentPrerequisites.check(steps, step, options)) {
                log.line('prepare', null, found)
            }
            int copied = workspace.copyResources()
            log.line('prepare', null, "copied ${copied} packaged files into ${options.workDir}")
            // A workspace outlives its build: nothing of an earlier run may be published as this one's.
            tools.run('prepare', null, "rm -f ${RUN_OUTPUTS.join(' ')} ${reportName('html')} ${reportName('json')}")
            String reconfigure = StateBackend.prepare(steps, log, tools, options)
            ProviderMirror.writeCliConfig(steps, (String) options.workDir, providerMirror())
            // Terraform ignores a plugin cache directory that does not exist ("cannot be opened").
            tools.run('prepare', null, 'mkdir -p "$TF_PLUGIN_CACHE_DIR"')
            tools.run('prepare', null, PYTHON_SETUP)
            tools.run('prepare', null, "\"\$ENTRAIDC_TERRAFORM\" -chdir=terraform init -input=false ${reconfigure}${StateBackend.initArguments(options)}")
            // NOT PURE TERRAFORM (state_lock.py): a run killed while it held the state lock left it behind.
            python('prepare', 'state-lock --terraform-dir ../terraform')
        }
    }

    void python(String phaseName, String arguments) {
        // As the Terraform provisioners do: run from python/, where the package is.
        tools.run(phaseName, null, "cd python && \"\$(cat ../.python-path)\" -m entraidc --result-file ../${COMMAND_RESULTS} ${arguments}")
    }

    void terraform(String phaseName, String arguments) {
        tools.run(phaseName, null,
                "ENTRAIDC_PYTHON=\"\$(cat .python-path)\" \"\$ENTRAIDC_TERRAFORM\" -chdir=terraform ${arguments}")
    }

    /**
     * A terraform apply or destroy, its output (errors included) also kept (TERRAFORM_LOG) for the
     * report's list of changes and for {@link #createAnsweredWithConflict}.
     */
    void terraformChanging(String phaseName, String arguments) {
        terraform(phaseName, "${arguments} 2>&1 | tee -a ${TERRAFORM_LOG}")
    }

    /** What TERRAFORM_LOG holds now ('' before the first apply of this run). */
    String terraformLog() {
        String path = "${options.workDir}/${TERRAFORM_LOG}"
        return steps.fileExists(path) ? (String) steps.readFile(path) : ''
    }

    /**
     * True when the apply that wrote {@code output} failed on a create that the service answered
     * with a conflict. Against the Terraform aws provider that means the create was performed and
     * its answer lost: aws-sdk-go-v2 retries a response body cut by its own transport
     * (net.ErrClosed, aws/aws-sdk-go-v2 PR #2949, issue #2737) for every operation, and the retry of a
     * create meets the object the first attempt made (identitystore CreateUser: ConflictException
     * "Duplicate UserName"; Secrets Manager CreateSecret: ResourceExistsException; sso-admin
     * CreatePermissionSet and AttachManagedPolicyToPermissionSet: ConflictException, after the
     * provider's max_retries attempts, versions.tf). Someone else's object of our name is refused
     * earlier, by preflight, so here the object is ours. The provider words an attach "attaching"
     * (internal/service/ssoadmin/managed_policy_attachment.go), and its message holds two ARNs and the
     * SDK's "exceeded maximum number of attempts" before the error code, hence 800 characters.
     */
    @NonCPS
    static boolean createAnsweredWithConflict(String output) {
        return (output =~ /(?s)Error: (creating|attaching) .{0,800}?(ConflictException|ResourceExistsException)/).find()
    }

    /** Terraform -var arguments for the phases this run covers (and the accounts, when not both). */
    String terraformVariables(boolean scim, boolean abac) {
        List<String> accounts = (List<String>) options.partitions
        String variables = "-var enable_scim=${scim} -var enable_abac=${abac}"
        if (accounts.size() < StepOptions.ACCOUNTS.size()) {
            String list = accounts.collect { "\\\"${it}\\\"" }.join(',')
            variables += " -var \"aws_accounts=[${list}]\""
        }
        return variables
    }

    /**
     * Plans; applies unless planOnly, after sweeping orphans. The plan summary is archived (it holds
     * no secret). An apply that failed on a create answered with a conflict is followed by one more
     * sweep, plan and apply (createAnsweredWithConflict); any other failure stops the step.
     */
    void planAndApply(String label, boolean scim, boolean abac) {
        if (!options.planOnly) {
            sweepOrphans()
        }
        plan(label, scim, abac)
        if (options.planOnly) {
            return
        }
        boolean answeredTwice = false
        phase("apply ${label}", null) {
            int before = terraformLog().length()
            try {
                terraformChanging("apply ${label}", 'apply -input=false ../plan.bin')
            } catch (PhaseFailure failure) {
                if (!createAnsweredWithConflict(terraformLog().substring(before))) {
                    throw failure
                }
                answeredTwice = true
                log.line("apply ${label}", null, 'a create was performed but answered with a conflict (the aws ' +
                        "provider's SDK retried it after losing its answer: aws-sdk-go-v2 PR #2949); the object is " +
                        'outside the state: sweeping it, then planning and applying once more')
            }
        }
        if (answeredTwice) {
            sweepOrphans('../plan.bin')
            plan(label, scim, abac)
            phase("apply ${label}", null) {
                terraformChanging("apply ${label}", 'apply -input=false ../plan.bin')
            }
        }
    }

    private void plan(String label, boolean scim, boolean abac) {
        phase("plan ${label}", null) {
            terraform("plan ${label}", "plan -input=false -out=../plan.bin ${terraformVariables(scim, abac)}")
            terraform("plan ${label}", 'show -no-color ../plan.bin > plan-summary.txt')
        }
    }

    /**
     * NOT PURE TERRAFORM (the Python `sweep`, orphans.py): deletes what carries the ownership
     * marker in AWS and Azure but is missing from the Terraform state (a create whose state write
     * was lost when an apply was killed), which would block the next apply. The state is read
     * with `terraform show -json` inside Python, never written to a file. After an apply that failed
     * on a create answered with a conflict, {@code failedPlan} is that apply's plan: an access-control
     * attribute configuration (one per instance, no tags) it was creating and that is there exactly
     * as planned is that apply's too.
     */
    void sweepOrphans(String failedPlan = null) {
        phase('sweep', null) {
            String plan = failedPlan ? " --plan ${failedPlan}" : ''
            python('sweep', "sweep --terraform-dir ../terraform${plan} ${accountArguments()}")
        }
    }

    /**
     * Drift check: plans with the phases of the last apply (the state's `phases` output),
     * changes nothing. Returns the managed resources that would change (`plan
     * -detailed-exitcode` answers 2), as "address [actions]", and marks the build and the stage
     * UNSTABLE (the unstable step) when there are any.
     */
    List<String> driftCheck() {
        List<String> drifted = []
        phase('drift check', null) {
            tools.run('drift check', null, 'rm -f plan-exit-code')
            terraform('drift check', 'output -json > outputs.json')
            Map phases = (Map) steps.readJSON(file: "${options.workDir}/outputs.json", returnPojo: true).phases?.value
            if (!phases) {
                throw new PhaseFailure('drift check', StageLog.ALL_ACCOUNTS,
                        "no apply recorded in the Terraform state of ${options.workDir} (set up first)")
            }
            String plan = "plan -input=false -detailed-exitcode -out=../plan.bin ${terraformVariables((boolean) phases.scim, (boolean) phases.abac)}"
            // Exit 2 = changes: record it, so that only 1 (an error) fails the phase.
            terraform('drift check', "${plan} || { code=\$?; [ \$code -eq 2 ] && echo 2 > plan-exit-code; }")
            terraform('drift check', 'show -no-color ../plan.bin > plan-summary.txt')
            if (steps.fileExists("${options.workDir}/plan-exit-code")) {
                terraform('drift check', 'show -json ../plan.bin > plan.json && rm -f plan-exit-code')
                // The JSON plan shows sensitive values in clear: read, then removed at once.
                List changes = (List) steps.readJSON(file: "${options.workDir}/plan.json", returnPojo: true).resource_changes
                tools.run('drift check', null, 'rm -f plan.json')
                for (def change : changes) {
                    if (change.mode == 'managed' && change.change.actions != ['no-op']) {
                        drifted << "${change.address} ${change.change.actions}".toString()
                    }
                }
            }
            log.line('drift check', null, drifted ? "drift: ${drifted.size()} resources differ from the configuration: ${drifted.join(', ')}"
                    : 'no drift: the lab is what the configuration says')
        }
        results.drift = drifted
        if (drifted) {
            // The unstable step marks the stage too (currentBuild.result would mark the build alone).
            steps.unstable("drift: ${drifted.size()} resources differ from the configuration")
        }
        return drifted
    }

    /** "--account a --account b" for the Python commands. */
    String accountArguments() {
        List<String> accounts = (List<String>) options.partitions
        return accounts.collect { "--account ${it}" }.join(' ')
    }

    /**
     * Runs the verification checks of a phase (saml or scim) and publishes them with junit. Failed
     * checks make the build UNSTABLE (as junit does) and the step still returns them; a failure of
     * the automation itself, with no failed check to show for it, fails the phase.
     */
    void verify(String verifyPhase, boolean abac) {
        String report = "${options.workDir}/verify-junit.xml"
        phase('verify', null) {
            PhaseFailure automationFailure = null
            try {
                // The report of an earlier phase must not be taken for this one's.
                tools.run('verify', null, "rm -f verify-junit.xml && cd python && \"\$(cat ../.python-path)\" -m entraidc " +
                        "verify --phase ${verifyPhase}${abac ? ' --abac' : ''} ${accountArguments()} --junit ../verify-junit.xml")
            } catch (PhaseFailure failure) {
                automationFailure = failure
            }
            int failedChecks = 0
            if (steps.fileExists(report)) {
                // Jenkins answers a TestResultSummary (totalCount, failCount), not a Map.
                def summary = steps.junit(testResults: report)
                failedChecks = summary.failCount
                // totalCount counts skipped checks too (junit's TestResultSummary): they are neither passed nor failed.
                results.checks = [total: summary.totalCount, failed: failedChecks, skipped: summary.skipCount]
            }
            if (failedChecks > 0) {
                log.line('verify', null, "${failedChecks} of ${results.checks.total} checks failed; the build is UNSTABLE")
            } else if (automationFailure != null) {
                throw automationFailure
            }
        }
    }

    /** Reads the module's outputs (nothing secret) into the step's result and archives them. */
    void collectOutputs() {
        phase('outputs', null) {
            terraform('outputs', 'output -json > outputs.json')
            // POJOs, not json-lib's JSONObject: a Terraform null must be null for the caller.
            results.outputs = steps.readJSON(file: "${options.workDir}/outputs.json", returnPojo: true)
        }
    }

    private void archive() {
        steps.archiveArtifacts(artifacts: "${options.workDir}/plan-summary.txt,${options.workDir}/outputs.json," +
                "${options.workDir}/verify-junit.xml,${options.workDir}/${reportName('html')}", allowEmptyArchive: true)
    }

    private List<String> toolEnvironment() {
        String cache = agentCache()
        return ["ENTRAIDC_AGENT_CACHE=${cache}",
                "ENTRAIDC_ALLOW_IDENTITY_SOURCE_CHANGE=${options.allowIdentitySourceChange ? 'true' : 'false'}",
                "TF_PLUGIN_CACHE_DIR=${cache}/plugin-cache",
                'TF_IN_AUTOMATION=1',
                'TF_CLI_ARGS=-no-color',
                'TF_INPUT=0',
                'CHECKPOINT_DISABLE=1',
                "ENTRAIDC_TERRAFORM=${steps.env.ENTRAIDC_TERRAFORM ?: 'terraform'}"] +
                ProviderMirror.environment(steps, (String) options.workDir, providerMirror())
    }

    /** The step's providerMirror, else the agent's ENTRAIDC_PROVIDER_MIRROR; null: the CLI's own configuration. */
    private String providerMirror() {
        return (String) (options.providerMirror ?: steps.env.ENTRAIDC_PROVIDER_MIRROR ?: null)
    }

    private String agentCache() {
        if (steps.env.ENTRAIDC_AGENT_CACHE) {
            return steps.env.ENTRAIDC_AGENT_CACHE
        }
        if (!steps.env.HOME) {
            steps.error("${step}: the agent has neither ENTRAIDC_AGENT_CACHE nor HOME set; set ENTRAIDC_AGENT_CACHE " +
                    '(a directory for the Python environments and the Terraform plugin cache) in the agent\'s environment')
        }
        return "${steps.env.HOME}/.cache/entra-idc-agent"
    }

    private void withAzureCredentials(Closure body) {
        if (options.azureCredentialsId) {
            // One service principal for everything: azure-identity (the Python automation) reads
            // AZURE_*, the azurerm provider ARM_*. azurerm then authenticates with the client secret,
            // which go-azure-sdk tries before the Azure CLI (sdk/auth/auth.go NewAuthorizerFromCredentials,
            // go-azure-sdk/sdk v0.20260811.1225050). ARM_USE_CLI cannot turn the CLI off: azurerm's use_cli has both
            // Default: true and DefaultFunc, and the SDK's Default wins (internal/provider/provider.go).
            steps.withCredentials([
                    steps.azureServicePrincipal(credentialsId: options.azureCredentialsId),
                    steps.azureServicePrincipal(credentialsId: options.azureCredentialsId,
                            clientIdVariable: 'ARM_CLIENT_ID', clientSecretVariable: 'ARM_CLIENT_SECRET',
                            tenantIdVariable: 'ARM_TENANT_ID', subscriptionIdVariable: 'ARM_SUBSCRIPTION_ID')]) {
                body()
            }
        } else {
            body()
        }
    }

    /**
     * Another run holds the state lock (two controllers, or a build that does not share the tenant
     * lock): it may be applying now, so neither this step nor a teardown may go on until it ends.
     */
    static final String STATE_LOCKED_NEXT = 'another Terraform run holds the state lock (its ID, holder and time are above): ' +
            'let it finish, then run the step again; only if no run against this state is active anywhere, ' +
            'release it with terraform force-unlock ID (breaking a live lock corrupts the state)'

    private static String nextStepAfter(String phase) {
        if (phase == 'prepare') {
            return 'check the agent prerequisites in the README (python3, terraform, AWS profiles, Azure CLI login), then run the step again'
        }
        if (phase == 'preflight') {
            return 'nothing was changed: fix what preflight names above, then run the step again'
        }
        if (phase == 'teardown' || phase.startsWith('destroy')) {
            return 'fix the cause shown above and run entraTeardown again; it only removes what this library created'
        }
        return 'fix the cause shown above and run the step again (it converges), or run entraTeardown to remove what was created'
    }

    /** Creates (once per requirements hash) and records the Python interpreter the automation runs with. */
    static final String PYTHON_SETUP = '''
if [ -n "${ENTRAIDC_PYTHON:-}" ]; then
  echo "using the agent's prepared interpreter ${ENTRAIDC_PYTHON}"
  printf '%s' "$ENTRAIDC_PYTHON" > .python-path
  exit 0
fi
key=$(sha256sum python/requirements.txt | cut -c1-16)
venv="$ENTRAIDC_AGENT_CACHE/venv-$key"
if [ ! -f "$venv/.complete" ]; then
  echo "creating the Python environment $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r python/requirements.txt
  touch "$venv/.complete"
else
  echo "reusing the Python environment $venv"
fi
printf '%s' "$venv/bin/python" > .python-path
'''
}
