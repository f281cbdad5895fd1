package io.entraidc.steps

import groovy.json.JsonSlurper
import io.entraidc.harness.Agent

/** Drives the local cloud twin through ./lab twin, for the end-to-end step tests. */
class Twin {
    static final File ROOT = new File(System.getProperty('entraidc.root', '.')).canonicalFile
    static final File CACHE = new File(System.getenv('ENTRAIDC_CACHE') ?: "${System.getProperty('user.home')}/.cache/entra-idc")
    /**
     * The agents' ENTRAIDC_AGENT_CACHE (venvs, Terraform's plugin cache): one per twin, beside its
     * state directory when ENTRAIDC_TWIN_DIR gives one. Terraform's plugin cache is not safe for
     * concurrent `init`s (Terraform CLI configuration docs, "Provider Plugin Cache"); on a real agent
     * the tenant lock keeps this library's inits apart, but test sessions in different namespaces
     * have different twins and no common lock (one's init re-linked the cache under another's run).
     */
    static final File AGENT_CACHE = System.getenv('ENTRAIDC_TWIN_DIR') ?
            new File(new File(System.getenv('ENTRAIDC_TWIN_DIR')).absoluteFile.parentFile, 'agent-cache') : new File(CACHE, 'agent')

    static String lab(String... args) {
        Process process = new ProcessBuilder([new File(ROOT, 'lab').path] + args.toList())
                .directory(ROOT).redirectErrorStream(true).start()
        String out = process.inputStream.text
        if (process.waitFor() != 0) {
            throw new IllegalStateException("./lab ${args.join(' ')} failed:\n${out}")
        }
        return out
    }

    static void start() { lab('twin', 'start') }

    static void reset() { lab('twin', 'reset') }

    /**
     * A fault rule of the twin (see twin/README.md), e.g. fault('sso-admin', 'ListInstances', '5xx', 100);
     * {@code options} sets its status, retry-after or seconds. Returns the rule's id.
     */
    static String fault(String service, String operation, String kind, int count, Map options = [:]) {
        List<String> args = ['twin', 'faults', 'add', '--service', service, '--operation', operation, '--kind', kind,
                             '--count', String.valueOf(count)]
        options.each { name, value -> args += ["--${name}".toString(), String.valueOf(value)] }
        return new JsonSlurper().parseText(lab(args as String[])).added
    }

    /** Every rule of the twin, active or spent (count run out), by id, each with its fired count. */
    static Map<String, Map> faults() {
        Map listed = (Map) new JsonSlurper().parseText(lab('twin', 'faults', 'list'))
        return ((List<Map>) listed.faults + (List<Map>) listed.spent).collectEntries { [(it.id): it] }
    }

    static void clearFaults() { lab('twin', 'faults', 'clear') }

    /**
     * Both AWS profiles hold only the documented policies of these phases (docs/permissions.md), as
     * profiles set up for one step do; none given: all the documented policies again.
     */
    static void policies(String... phases) {
        for (String profile in ['aws-commercial', 'aws-govcloud']) {
            if (phases) {
                lab('twin', 'policies', profile, '--phases', phases.join(','))
            } else {
                lab('twin', 'policies', profile, '--documented')
            }
        }
    }

    static Map inventory() { return (Map) new JsonSlurper().parseText(lab('twin', 'inventory')) }

    /**
     * The inventory without the users in Entra's recycle bin: with application permissions (the
     * service principal of these tests) Graph cannot purge deleted users (directory-deleteditems-delete,
     * its permission table; the twin answers 403), so they stay there for 30 days without blocking
     * their names. Deleted applications must still be purged.
     */
    static Map liveInventory() {
        Map inventory = inventory()
        Map azure = (Map) inventory['azure-id']
        azure.deletedItems = azure.deletedItems.findAll { it.type != '#microsoft.graph.user' }
        return inventory
    }

    /** The variables `./lab twin env` exports, with their values as a shell sees them. */
    static Map<String, String> environment() {
        String exports = lab('twin', 'env')
        List<String> names = exports.readLines().findAll { it.startsWith('export ') }
                .collect { it.substring(7, it.indexOf('=')) }
        String script = exports + '\n' + names.collect { "printf '%s=%s\\0' ${it} \"\$${it}\"" }.join('\n')
        Process process = new ProcessBuilder('bash', '-c', script).start()
        String out = process.inputStream.text
        process.waitFor()
        return out.split('\u0000').findAll { it }.collectEntries { String pair ->
            int eq = pair.indexOf('=')
            [(pair.substring(0, eq)): pair.substring(eq + 1)]
        }
    }

    /** Every secret value stored in the twin now (SCIM tokens, the vault's passwords); test/support/twin_secrets.py. */
    static Map<String, String> secretValues(String keyVaultUri) {
        return (Map<String, String>) new JsonSlurper().parseText(support('twin_secrets.py', keyVaultUri))
    }

    /** Runs test/support/SCRIPT with the toolchain's Python and the twin's environment; its stdout. */
    static String support(String script, String... args) {
        Map<String, String> env = new HashMap<>(System.getenv())
        env.putAll(environment())
        ProcessBuilder builder = new ProcessBuilder([new File(CACHE, 'venv/bin/python').path,
                new File(ROOT, "test/support/${script}").path] + args.toList())
        builder.environment().clear()
        builder.environment().putAll(env)
        builder.environment().PYTHONPATH = "${ROOT.path}:${new File(ROOT, 'resources/entraidc/python').path}".toString()
        Process process = builder.redirectErrorStream(false).start()
        String err = ''
        Thread drain = Thread.start { err = process.errorStream.text }
        String out = process.inputStream.text
        int status = process.waitFor()
        drain.join()
        if (status != 0) {
            throw new IllegalStateException("${script} failed: ${err}")
        }
        return out
    }

    /**
     * What of ./lab twin env only a login holds: the automation's service principal (as azure-identity
     * and the azurerm provider read it) and the test admin's password. An agent with an Azure CLI
     * login has none of them: the steps must go through `az` (AzureCliCredential, the azurerm
     * provider's Azure CLI authentication).
     */
    static final List<String> LOGIN_VARIABLES = ['AZURE_CLIENT_ID', 'AZURE_CLIENT_SECRET', 'AZURE_TENANT_ID',
                                                 'AZURE_SUBSCRIPTION_ID', 'ARM_CLIENT_ID', 'ARM_CLIENT_SECRET',
                                                 'ARM_TENANT_ID', 'ARM_SUBSCRIPTION_ID', 'ENTRAIDC_TWIN_AZURE_ADMIN_PASSWORD']

    /**
     * An agent as the steps find one: the twin's endpoints, the toolchain, its own agent cache, none
     * of LOGIN_VARIABLES, and the real Azure CLI with its own AZURE_CONFIG_DIR in the agent's root
     * (never the user's ~/.azure), logged in once here, before any build, as the agent's
     * preconfigured login: {@code login} 'service-principal' (`az login --service-principal` as the
     * automation's service principal), 'user' (`az login -u -p` as the twin's test admin) or 'none'
     * (azureCredentialsId brings the service principal).
     */
    static Agent agent(String login = 'service-principal', String name = 'agent-1') {
        Map<String, String> env = agentEnvironment()
        LOGIN_VARIABLES.each { env.remove(it) }
        env.ENTRAIDC_AGENT_CACHE = AGENT_CACHE.path
        env.AZURE_CORE_COLLECT_TELEMETRY = 'no'
        env.AZURE_CORE_SURVEY_MESSAGE = 'no'
        Agent agent = new Agent(name, env)
        File config = new File(agent.root, 'azure-cli')
        config.mkdirs()
        agent.environment.AZURE_CONFIG_DIR = config.path
        Twin.login(agent, login)
        return agent
    }

    /** Logs the agent's Azure CLI in anew (see agent()), between builds, as its administrator would. */
    static void login(Agent agent, String login) {
        Map<String, String> twin = environment()
        az(agent, 'account', 'clear')
        if (login == 'service-principal') {
            az(agent, 'login', '--service-principal', '-u', twin.AZURE_CLIENT_ID, '-p', twin.AZURE_CLIENT_SECRET,
                    '--tenant', twin.AZURE_TENANT_ID)
        } else if (login == 'user') {
            az(agent, 'login', '-u', twin.ENTRAIDC_TWIN_AZURE_ADMIN, '-p', twin.ENTRAIDC_TWIN_AZURE_ADMIN_PASSWORD)
        } else if (login != 'none') {
            throw new IllegalArgumentException("login is service-principal, user or none, not ${login}")
        }
    }

    /** Runs the toolchain's az with the agent's environment only; its output. */
    static String az(Agent agent, String... args) {
        ProcessBuilder builder = new ProcessBuilder([new File(CACHE, 'bin/az').path] + args.toList() + ['-o', 'json'])
        builder.environment().clear()
        builder.environment().putAll(agent.environment)
        Process process = builder.redirectErrorStream(true).start()
        String out = process.inputStream.text
        if (process.waitFor() != 0) {
            throw new IllegalStateException("az ${args[0]} failed on ${agent.name}:\n${out}")
        }
        return out
    }

    /**
     * The twin's environment (the service principal's variables included: the bench's agent), the
     * toolchain's CLI and Python; the test agents are agent()'s.
     */
    static Map<String, String> agentEnvironment(Map<String, String> twin = environment()) {
        Map<String, String> env = new LinkedHashMap<>(twin)
        env.ENTRAIDC_TERRAFORM = new File(CACHE, 'bin/tofu').path
        env.TF_CLI_CONFIG_FILE = new File(CACHE, 'tofurc').path
        env.ENTRAIDC_PYTHON = new File(CACHE, 'venv/bin/python').path
        // The agent's own PATH (the harness never passes the test process's) with the toolchain's bin/ (az).
        env.PATH = new File(CACHE, 'bin').path + ':' + Agent.defaultEnvironment().PATH
        return env
    }
}
