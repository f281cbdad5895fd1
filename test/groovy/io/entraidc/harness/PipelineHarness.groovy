package io.entraidc.harness

import com.cloudbees.groovy.cps.Continuable
import com.cloudbees.groovy.cps.Outcome
import groovy.json.JsonOutput

import java.nio.file.FileSystems
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.PathMatcher
import java.util.concurrent.TimeUnit

/**
 * Runs a shared library's real vars/ steps and pipeline scripts outside Jenkins.
 *
 * Pipeline code is CPS-transformed and interpreted by groovy-cps (see {@link CpsRunner});
 * the Jenkins steps it calls are emulated here with the semantics of the real plugins
 * (workflow-basic-steps, workflow-durable-task-step, credentials-binding,
 * pipeline-utility-steps, lockable-resources, junit). A step not emulated fails the run.
 */
class PipelineHarness {
    static final List<String> BLOCK_STEPS = ['dir', 'withEnv', 'withCredentials', 'stage', 'timeout', 'retry',
                                             'lock', 'catchError', 'node']
    static final List<String> SIMPLE_STEPS = ['sh', 'echo', 'error', 'libraryResource', 'writeFile', 'readFile',
                                              'fileExists', 'pwd', 'deleteDir', 'readJSON', 'writeJSON',
                                              'archiveArtifacts', 'junit', 'isUnix', 'sleep', 'unstable']
    static final List<String> BINDINGS = ['string', 'usernamePassword', 'file', 'azureServicePrincipal']
    /** Steps that need a workspace (hudson.FilePath in their getRequiredContext), i.e. a node. */
    static final List<String> NEED_WORKSPACE = ['sh', 'writeFile', 'readFile', 'fileExists', 'pwd', 'deleteDir',
                                                'archiveArtifacts', 'junit', 'dir']

    /**
     * The Azure Credentials plugin's binding (jenkinsci/azure-credentials-plugin,
     * src/main/java/com/microsoft/azure/util/AzureCredentialsBinding.java, symbol
     * azureServicePrincipal): credential field -> default variable; each variable is renamed by the
     * binding's parameter <field>Variable. A stored credential is [clientId:, clientSecret:, tenantId:, subscriptionId:].
     */
    static final Map<String, String> AZURE_SP_VARIABLES = [subscriptionId: 'AZURE_SUBSCRIPTION_ID',
                                                           clientId      : 'AZURE_CLIENT_ID',
                                                           clientSecret  : 'AZURE_CLIENT_SECRET',
                                                           tenantId      : 'AZURE_TENANT_ID']

    final File libraryRoot
    final File workspace
    final BuildLog log
    final Map<String, Map<String, String>> credentials = [:]
    final Agent agent
    final String jobName
    final int buildNumber
    /** The agent's environment plus the build's variables (never the test process's environment). */
    final Map<String, String> baseEnvironment = [:]
    final EnvVars env = new EnvVars(this)
    Map<String, Object> params = [:]
    final CurrentBuild currentBuild
    final List<Map> stepCalls = []
    final List<String> archived = []
    final List<TestResultSummary> junitResults = []
    /** Each published test case (classname, name, status), as the build's test result page keeps it. */
    final List<Map> publishedTestCases = []
    final List<String> stages = []
    final List<String> locks = []
    final List<String> skippedStages = []
    /** The stages open now, innermost first (a step's WarningAction goes to the innermost). */
    final Deque<String> openStages = new ArrayDeque<>()
    /** Stage results set by a step (unstable's WarningAction): [stage:, result:, message:]. */
    final List<Map> stageWarnings = []
    final List<Map> declaredOptions = []
    final long buildStartedMillis = System.currentTimeMillis()
    final LockRegistry lockRegistry
    final Timeouts timeouts
    /** NotSerializableExceptions met while saving the program (each also failed its step). */
    final List<NotSerializableException> serializationFailures = []
    /** SIGTERM, then SIGKILL after this long (Jenkins core ProcessTree: SoftKillWaitSeconds, 5 s). */
    long softKillMillis = 5000L
    /** Set by crashWhen: when this build's agent crashes. */
    CrashPlan crash
    Map declarativeModel
    Map currentStage
    String libraryAnnotation
    /**
     * Restart from Stage (pipeline-model-definition RestartDeclarativePipelineAction): this build
     * reruns the Jenkinsfile from the named stage, the stages before it skipped.
     */
    String restartFromStage

    private final Deque<File> dirs = new ArrayDeque<>()
    private final Deque<Map<String, String>> envFrames = new ArrayDeque<>()
    private int nodeDepth = 0
    /** The cookie of each node block running, innermost first (see {@link #enterNode}). */
    private final Deque<String> nodeCookies = new ArrayDeque<>()
    private final CpsRunner cps
    private final Map<String, Script> globalVars = [:]
    private Object blockSteps
    private Object declarative
    private final Deque<String> contexts = new ArrayDeque<>()

    /**
     * One build. Options: libraryRoot, agent (default: a new agent), jobName, buildNumber, echo,
     * workspace (default: the job's workspace on the agent, which outlives the build).
     */
    PipelineHarness(Map options = [:]) {
        libraryRoot = (options.libraryRoot ?: new File(System.getProperty('entraidc.root', '.'))).canonicalFile
        agent = (Agent) (options.agent ?: new Agent())
        jobName = options.jobName ?: 'harness'
        buildNumber = (options.buildNumber ?: 1) as int
        workspace = (options.workspace ? new File(options.workspace as String) : agent.allocate(jobName)).canonicalFile
        workspace.mkdirs()
        log = new BuildLog(options.echo as boolean)
        currentBuild = new CurrentBuild(buildNumber)
        timeouts = new Timeouts(log)
        lockRegistry = (LockRegistry) (options.lockRegistry ?: new LockRegistry())
        cps = new CpsRunner(new File(libraryRoot, 'src'), HarnessScript)
        baseEnvironment.putAll(agent.environment)
        baseEnvironment.putAll(buildVariables())
        echoLog = options.echo as boolean
    }

    private final boolean echoLog

    /** The variables Jenkins sets for every build (https://www.jenkins.io/doc/book/pipeline/jenkins-file/#using-environment-variables). */
    private Map<String, String> buildVariables() {
        String url = "http://jenkins.invalid/job/${jobName}/${buildNumber}/"
        return [WORKSPACE   : workspace.path, WORKSPACE_TMP: workspace.path + '@tmp', BUILD_NUMBER: "${buildNumber}",
                BUILD_ID    : "${buildNumber}", BUILD_TAG: "jenkins-${jobName}-${buildNumber}", JOB_NAME: jobName,
                JOB_BASE_NAME: jobName, BUILD_URL: url, JENKINS_URL: 'http://jenkins.invalid/', NODE_NAME: agent.name,
                EXECUTOR_NUMBER: '0'].collectEntries { k, v -> [(k): v.toString()] } as Map<String, String>
    }

    /** The environment this build added to its agent's (e.g. a twin's endpoints), carried to the next build. */
    private Map<String, String> addedEnvironment() {
        Map<String, String> build = buildVariables()
        return baseEnvironment.findAll { k, v -> !build.containsKey(k) && agent.environment[k] != v }
    }

    /**
     * The next build of the same job. On the same agent it finds the workspace as this build left
     * it; {@code onAnotherAgent: true} sends it to another agent (set up alike) with an empty workspace,
     * {@code agent:} to that one (set up by the caller, e.g. with a login of its own).
     */
    PipelineHarness nextBuild(Map options = [:]) {
        Agent target = (Agent) (options.agent ?: (options.onAnotherAgent ? new Agent(agent.name + '-other', agent.environment) : agent))
        agent.release(workspace)
        PipelineHarness next = new PipelineHarness(libraryRoot: libraryRoot, agent: target, jobName: jobName,
                buildNumber: buildNumber + 1, echo: echoLog, lockRegistry: lockRegistry)
        next.baseEnvironment.putAll(addedEnvironment())
        next.credentials.putAll(credentials)
        return next
    }

    /** Another build of the same job started while this one runs (same agent: workspace "@2"). */
    PipelineHarness concurrentBuild() {
        PipelineHarness other = new PipelineHarness(libraryRoot: libraryRoot, agent: agent, jobName: jobName,
                buildNumber: buildNumber + 1, echo: echoLog, lockRegistry: lockRegistry)
        other.baseEnvironment.putAll(addedEnvironment())
        other.credentials.putAll(credentials)
        return other
    }

    // ---- running pipeline code -------------------------------------------------------------

    /** Runs vars/<name>.groovy's call(args...) as a Jenkinsfile's {@code node { name(args) }} does. */
    Object runStep(String name, Object... args) {
        String call = "${name}(${(0..<args.length).collect { "__stepArguments[${it}]" }.join(', ')})"
        Script script = newScript(cps.parse("node { return ${call} }", 'WorkflowScript.groovy'))
        script.binding.setVariable('__stepArguments', args.toList())
        return run(script)
    }

    /** Runs a pipeline script (e.g. a scripted Jenkinsfile) against the library. */
    Object runScript(String text, String name = 'WorkflowScript') {
        return run(newScript(cps.parse(text, name + '.groovy')))
    }

    private Object run(Script script) {
        try {
            return cps.run({ script.run() }, { StepCall call, Continuable program -> perform(call, program) }
                    as CpsRunner.StepHost)
        } catch (AgentCrash crashed) {
            // The program is gone with its agent, and so is every process its node blocks started;
            // the controller ends the build and frees its locks.
            nodeCookies.each { leftovers.addAll(MarkedProcesses.killNow(NODE_COOKIE, it)) }
            lockRegistry.releaseAll(this)
            currentBuild.result = 'FAILURE'
            log.addSystem("Agent ${agent.name} was lost: ${crashed.message}")
            throw crashed
        } finally {
            if (serializationFailures) {
                // Jenkins hands the error to the running code (which may catch it); the test fails regardless.
                String message = 'the program could not be saved at a step boundary, as Jenkins saves it: ' +
                        serializationFailures*.toString().join('; ')
                throw new AssertionError(message, (Throwable) serializationFailures[0])
            }
        }
    }

    /** A step the program suspended for: save the program, then run the step (unless only a block's boundary). */
    Outcome perform(StepCall call, Continuable program) {
        try {
            ProgramState.save(program)
        } catch (NotSerializableException e) {
            serializationFailures << e
            log.addSystem(e.toString())
            return new Outcome(null, e)
        }
        if (call.boundary) {
            return new Outcome(null, null)
        }
        try {
            return new Outcome(runSimpleStep(call), null)
        } catch (AgentCrash e) {
            throw e
        } catch (Throwable e) {
            return new Outcome(null, e)
        }
    }

    private Object runSimpleStep(StepCall call) {
        Map args = StepSignatures.bind(call.name, call.args)
        // echo and error are recorded with their message alone.
        record(call.name, call.name in ['echo', 'error', 'unstable'] ? args.message : args)
        timeouts.check(call)
        requireWorkspace(call.name, args)
        switch (call.name) {
            case 'sh': return sh(args)
            case 'echo': echo(args.message); return null
            case 'error': error(args.message as String); return null
            case 'libraryResource': return libraryResource(args)
            case 'writeFile': writeFile(args); return null
            case 'readFile': return readFile(args)
            case 'fileExists': return fileExists(args)
            case 'pwd': return pwd(args)
            case 'deleteDir': deleteDir(); return null
            case 'readJSON': return readJSON(args)
            case 'writeJSON': return writeJSON(args)
            case 'archiveArtifacts': archiveArtifacts(args); return null
            case 'junit': return junit(args)
            case 'isUnix': return true
            case 'sleep': sleep(args); return null
            case 'unstable': unstable(args.message as String); return null
            default: throw new IllegalStateException("no step ${call.name}")
        }
    }

    /** A block step starts: its arguments are bound and checked, and its time may be up already. */
    Map beginBlockStep(String name, List argv) {
        Map args = StepSignatures.bind(name, argv)
        record(name, args)
        StepCall call = new StepCall(name, argv, true)
        timeouts.check(call)
        requireWorkspace(name, args)
        return args
    }

    private void requireWorkspace(String step, Map args) {
        boolean needed = step in NEED_WORKSPACE || (step in ['readJSON', 'writeJSON'] && args.file)
        if (step == 'isUnix' && nodeDepth == 0) {
            log.addSystem('Perhaps you forgot to surround the code with a step that provides this, such as: node')
            throw new MissingContextVariableException('hudson.Launcher')
        }
        if (needed && nodeDepth == 0) {
            log.addSystem('Perhaps you forgot to surround the code with a step that provides this, such as: node')
            throw new MissingContextVariableException('hudson.FilePath')
        }
    }

    /** workflow-durable-task-step's ExecutorStepExecution.COOKIE_VAR. */
    static final String NODE_COOKIE = 'JENKINS_NODE_COOKIE'

    /**
     * A node block starts: as ExecutorStepExecution's PlaceholderTask does, its steps get a
     * JENKINS_NODE_COOKIE of their own (a random UUID) in their environment.
     */
    void enterNode(String label) {
        log.addSystem("Running on ${agent.name} in ${workspace}")
        nodeDepth++
        nodeCookies.push(UUID.randomUUID().toString())
    }

    /**
     * A node block ends, however: as PlaceholderTask.Callback.finished does, every process still
     * carrying its cookie is killed (launcher.kill, Jenkins core ProcessTree.killAll: SIGTERM,
     * SIGKILL after the soft-kill wait); Jenkins does it on a thread pool, the harness before it
     * goes on. This is what ends a step's leftovers, e.g. the provider plugins of a Terraform
     * that got SIGKILL.
     */
    void exitNode() {
        String cookie = nodeCookies.pop()
        nodeDepth--
        leftovers.addAll(MarkedProcesses.killAll(NODE_COOKIE, cookie, softKillMillis))
    }

    /** The processes the end of a node block (or an agent crash) found still running, and killed. */
    final List<MarkedProcesses.Seen> leftovers = Collections.synchronizedList([])

    /**
     * Makes the innermost (or the outermost) timeout around a step matching {@code matcher} run
     * out one second after it starts (e.g. while Terraform applies): the test's stand-in for
     * work that takes longer than its limit.
     */
    void timeOutAt(Map options = [:], Closure<Boolean> matcher) {
        timeouts.expireOutermost = options.outermost as boolean
        timeouts.expireAt = matcher
    }

    /**
     * Crashes the agent while a sh step runs (see {@link CrashPlan}): options {@code line} (a
     * Pattern or String regex: a line of the step's output, or of {@code file} when given),
     * {@code file} (a file to follow, e.g. the twin's log), {@code label} (only sh steps whose
     * label matches), {@code afterMillis} (the kill comes that long after the match). The build
     * then ends with {@link AgentCrash}; {@link #nextBuild} finds the workspace as the crash left it.
     */
    CrashPlan crashWhen(Map options) {
        crash = new CrashPlan(line: java.util.regex.Pattern.compile(options.line as String),
                watchedFile: options.file as File,
                label: options.label ? java.util.regex.Pattern.compile(options.label as String) : null,
                afterMillis: (options.afterMillis ?: 0L) as long)
        return crash
    }

    /** Aborts the build from another thread, as the Abort button does (see Timeouts.abort). */
    void abort(String cause) { timeouts.abort(cause) }

    void acquireLock(String resource) {
        lockRegistry.acquire(resource, this, timeouts)
        locks.add(resource)
    }

    void releaseLock(String resource) { lockRegistry.release(resource, this) }

    /**
     * Runs a declarative Jenkinsfile. Its {@code @Library(...) _} line is recorded and
     * dropped (the harness always serves this library); params get the declared defaults.
     */
    Object runJenkinsfile(File jenkinsfile) {
        List<String> lines = jenkinsfile.readLines()
        String annotation = lines.find { it.trim() ==~ /@Library\(.*\)\s*_/ }
        libraryAnnotation = annotation?.trim()
        String text = lines.collect { it == annotation ? '' : it }.join('\n')
        return runScript(text, 'WorkflowScript')
    }

    boolean hasGlobalVar(String name) {
        return new File(libraryRoot, "vars/${name}.groovy").file
    }

    Script globalVar(String name) {
        if (!globalVars.containsKey(name)) {
            File source = new File(libraryRoot, "vars/${name}.groovy")
            if (!source.file) {
                throw new NoSuchStepError(name, knownSteps())
            }
            globalVars[name] = newScript(cps.parse(source))
        }
        return globalVars[name]
    }

    Object getBlockSteps() {
        if (blockSteps == null) {
            String text = PipelineHarness.getResource('/harness/BlockSteps.groovy').text
            blockSteps = cps.parse(text, 'BlockSteps.groovy').newInstance(this)
        }
        return blockSteps
    }

    Object getDeclarative() {
        if (declarative == null) {
            String text = PipelineHarness.getResource('/harness/Declarative.groovy').text
            declarative = cps.parse(text, 'Declarative.groovy').newInstance(this)
        }
        return declarative
    }

    String context() { return contexts.isEmpty() ? null : contexts.peek() }

    void pushContext(String name) { contexts.push(name) }

    void popContext() { contexts.pop() }

    void requireContext(String expected, String section) {
        if (context() != expected) {
            throw new AbortException("Declarative: '${section}' is not allowed here (inside ${context() ?: 'the script'}, " +
                    "expected inside ${expected})")
        }
    }

    Collection<String> knownSteps() {
        List<String> vars = (new File(libraryRoot, 'vars').listFiles() ?: [] as File[])
                .findAll { it.name.endsWith('.groovy') }.collect { it.name - '.groovy' }
        return BLOCK_STEPS + SIMPLE_STEPS + BINDINGS + vars
    }

    private Script newScript(Class scriptClass) {
        Script script = (Script) scriptClass.newInstance()
        script.binding = new Binding([(HarnessScript.HARNESS_VARIABLE): this])
        return script
    }

    // ---- state used by the steps -----------------------------------------------------------

    File getCwd() { return dirs.isEmpty() ? workspace : dirs.peek() }

    File resolve(String path) {
        File f = new File(path)
        return f.absolute ? f : new File(cwd, path)
    }

    Map<String, String> effectiveEnvironment() {
        Map<String, String> result = new LinkedHashMap<>(baseEnvironment)
        if (!nodeCookies.isEmpty()) {
            result[NODE_COOKIE] = nodeCookies.peek()
        }
        result.putAll(env.overrides)
        envFrames.descendingIterator().each { result.putAll(it) }
        return result
    }

    synchronized void record(String step, Object args) {
        stepCalls << [step: step, args: args]
    }

    void pushDir(String path) {
        File target = resolve(path).canonicalFile
        target.mkdirs()
        dirs.push(target)
        log.addSystem("Running in ${target}")
    }

    void popDir() { dirs.pop() }

    void pushEnv(Map<String, String> vars) { envFrames.push(vars) }

    void popEnv() { envFrames.pop() }

    void pushTimeout(long time, String unit) {
        timeouts.push(TimeUnit.valueOf(unit ?: 'MINUTES').toMillis(time))
    }

    void popTimeout() { timeouts.pop() }

    /** Binds credentials as Credentials Binding does; returns the frame to undo. */
    Map bindCredentials(List<Map> bindings) {
        Map<String, String> vars = [:]
        List<File> files = []
        bindings.each { Map binding ->
            Map<String, String> stored = credentials[binding.credentialsId as String]
            if (stored == null) {
                throw new AbortException("Could not find credentials entry with ID '${binding.credentialsId}'")
            }
            switch (binding.type) {
                case 'string':
                    vars[binding.variable as String] = stored.secret
                    break
                case 'usernamePassword':
                    vars[binding.usernameVariable as String] = stored.username
                    vars[binding.passwordVariable as String] = stored.password
                    break
                case 'file':
                    File tmp = new File(workspace.parentFile, workspace.name + '@tmp')
                    tmp.mkdirs()
                    File secretFile = File.createTempFile('secretFiles', '.tmp', tmp)
                    secretFile.text = stored.content
                    files << secretFile
                    vars[binding.variable as String] = secretFile.absolutePath
                    break
                case 'azureServicePrincipal':
                    if (!stored.containsKey('clientSecret')) {
                        // credentials-binding MultiBinding.getCredentials: a credential of another type.
                        throw new AbortException("Credentials '${binding.credentialsId}' is of type 'Username with password' " +
                                "where 'com.microsoft.azure.util.AzureCredentials' was expected")
                    }
                    AZURE_SP_VARIABLES.each { String field, String defaultVariable ->
                        String variable = binding["${field}Variable"] ?: defaultVariable
                        vars[variable] = stored[field]
                    }
                    break
                default:
                    throw new AbortException("Unsupported credentials binding ${binding.type}")
            }
        }
        List<String> secrets = bindings.collectMany { Map binding ->
            Map<String, String> stored = credentials[binding.credentialsId as String]
            switch (binding.type) {
                case 'usernamePassword': return [stored.password]
                case 'string': return [stored.secret]
                // MultiEnvironment(map) with one map: all four values are secret, so all are masked.
                case 'azureServicePrincipal': return AZURE_SP_VARIABLES.keySet().collect { stored[it] }
                default: return []
            }
        }.findAll { it }
        log.addSystem('Masking supported pattern matches of ' +
                vars.keySet().collect { '$' + it }.join(' or '))
        log.pushSecrets(secrets)
        envFrames.push(vars)
        return [files: files]
    }

    void unbindCredentials(Map frame) {
        envFrames.pop()
        log.popSecrets()
        frame.files.each { File f -> f.delete() }
    }

    // ---- simple steps ----------------------------------------------------------------------

    private Object sh(Map args) {
        log.addSystem("[Pipeline] sh${args.label ? ' (' + args.label + ')' : ''}")
        ShellRunner.Result result = ShellRunner.run(args.script as String, cwd, effectiveEnvironment(), log,
                args.returnStdout as boolean, timeouts, softKillMillis,
                crash?.appliesTo(args.label as String) ? crash : null)
        if (args.returnStatus) {
            return result.status
        }
        if (result.status != 0) {
            throw new AbortException("script returned exit code ${result.status}")
        }
        return args.returnStdout ? result.stdout : null
    }

    private String libraryResource(Map args) {
        File file = new File(libraryRoot, 'resources/' + args.resource)
        if (!file.file) {
            throw new AbortException("No such library resource ${args.resource} could be found.")
        }
        return args.encoding == 'Base64' ? file.bytes.encodeBase64().toString() : file.getText(args.encoding ?: 'UTF-8')
    }

    private void writeFile(Map args) {
        File target = resolve(args.file as String)
        target.parentFile.mkdirs()
        if (args.encoding == 'Base64') {
            target.bytes = (args.text as String).decodeBase64()
        } else {
            target.setText(args.text as String, (args.encoding ?: 'UTF-8') as String)
        }
    }

    private String readFile(Map args) {
        File target = resolve(args.file as String)
        if (!target.file) {
            throw new AbortException("No such file: ${target}")
        }
        // ReadFileStep: the file's bytes decoded in the given encoding (Base64 encodes them), else UTF-8.
        return args.encoding == 'Base64' ? target.bytes.encodeBase64().toString() : target.getText((args.encoding ?: 'UTF-8') as String)
    }

    private boolean fileExists(Map args) {
        return resolve(args.file as String).exists()
    }

    private String pwd(Map args) {
        return args.tmp ? new File(cwd.parentFile, cwd.name + '@tmp').path : cwd.path
    }

    private void deleteDir() {
        cwd.deleteDir()
    }

    private Object readJSON(Map args) {
        return ReadJsonStep.read(args.file ? resolve(args.file as String) : null, args)
    }

    private Object writeJSON(Map args) {
        String text = args.pretty ? JsonOutput.prettyPrint(JsonOutput.toJson(args.json)) : JsonOutput.toJson(args.json)
        if (args.returnText) {
            return text
        }
        writeFile(file: args.file, text: text)
        return null
    }

    private void archiveArtifacts(Map args) {
        List<String> found = glob(args.artifacts as String)
        if (found.isEmpty() && !args.allowEmptyArchive) {
            throw new AbortException("No artifacts found that match the file pattern \"${args.artifacts}\"")
        }
        archived.addAll(found)
        log.addSystem("Archiving artifacts ${found}")
    }

    /**
     * As junit's JUnitResultArchiver / TestResult.parse: every report matching the pattern is read,
     * also one left in the workspace by an earlier build, unless skipOldReports (default false)
     * skips files last modified before this build started.
     */
    private TestResultSummary junit(Map args) {
        List<String> files = glob(args.testResults as String)
        if (args.skipOldReports) {
            files = files.findAll { new File(cwd, it).lastModified() >= buildStartedMillis }
        }
        if (files.isEmpty() && !args.allowEmptyResults) {
            throw new AbortException("No test report files were found. Configuration error?")
        }
        Map summary = [totalCount: 0, failCount: 0, skipCount: 0, passCount: 0]
        files.each { String path ->
            def suite = new XmlSlurper().parse(new File(cwd, path))
            suite.'**'.findAll { it.name() == 'testcase' }.each { testcase ->
                summary.totalCount++
                String status = 'passed'
                if (testcase.failure.size() || testcase.error.size()) {
                    summary.failCount++
                    status = 'failed'
                } else if (testcase.skipped.size()) {
                    summary.skipCount++
                    status = 'skipped'
                } else {
                    summary.passCount++
                }
                publishedTestCases << [classname: testcase.@classname.toString(), name: testcase.@name.toString(), status: status]
            }
        }
        TestResultSummary result = new TestResultSummary(summary.totalCount as int, summary.failCount as int,
                summary.skipCount as int, summary.passCount as int)
        // JUnitResultArchiver.parseAndSummarize: reports without a test case are a configuration
        // error, unless allowEmptyResults or the build has failed already.
        if (result.totalCount == 0 && !files.isEmpty()) {
            if (args.allowEmptyResults || currentBuild.currentResult == 'FAILURE') {
                log.addSystem('None of the test reports contained any result')
            } else {
                throw new AbortException('None of the test reports contained any result')
            }
        }
        junitResults << result
        if (result.failCount > 0 && !args.skipMarkingBuildUnstable) {
            currentBuild.setResultAtWorst('UNSTABLE')
        }
        log.addSystem("Recording test results: ${result}")
        return result
    }

    private void echo(Object message) {
        log.add(String.valueOf(message))
    }

    private void error(String message) {
        throw new AbortException(message)
    }

    /**
     * workflow-basic-steps UnstableStep: a non-empty message; the step's stage gets a
     * WarningAction(UNSTABLE) with it (the stage shows UNSTABLE), the build the result UNSTABLE,
     * and the log "WARNING: message".
     */
    private void unstable(String message) {
        if (!message?.trim()) {
            throw new IllegalArgumentException('A non-empty message is required')
        }
        stageWarnings << [stage: openStages.peek(), result: 'UNSTABLE', message: message.trim()]
        currentBuild.setResult('UNSTABLE')
        log.add('WARNING: ' + message.trim())
    }

    /** Sleeps; a timeout interrupts it (SleepStep's execution is stopped like any other step). */
    private void sleep(Map args) {
        long end = System.currentTimeMillis() + ((args.unit ?: TimeUnit.SECONDS) as TimeUnit).toMillis(args.time as long)
        while (System.currentTimeMillis() < end) {
            long now = System.currentTimeMillis()
            if (now >= timeouts.limit()) {
                throw timeouts.expire()
            }
            Thread.sleep(Math.max(1L, Math.min(Math.min(end, timeouts.limit()) - now, 200L)))
        }
    }

    List<String> glob(String patterns) {
        List<String> result = []
        patterns.split(',').collect { it.trim() }.findAll { it }.each { String pattern ->
            // Ant patterns (as Jenkins uses) let **/ match no directory at all; Java globs do not.
            List<PathMatcher> matchers = [FileSystems.default.getPathMatcher('glob:' + pattern)]
            if (pattern.startsWith('**/')) {
                matchers << FileSystems.default.getPathMatcher('glob:' + pattern.substring(3))
            }
            Path base = cwd.toPath()
            def stream = Files.walk(base)
            try {
                stream.filter { Path p -> Files.isRegularFile(p) && matchers.any { it.matches(base.relativize(p)) } }
                        .forEach { Path p -> result.add(base.relativize(p).toString()) }
            } finally {
                stream.close()
            }
        }
        return result.unique().sort()
    }
}
