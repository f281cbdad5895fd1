package io.entraidc.steps

import groovy.json.JsonSlurper

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

    /** What a Jenkins agent pointed at the twin has: the twin's environment, the toolchain's CLI and Python. */
    static Map<String, String> agentEnvironment() {
        Map<String, String> env = environment()
        env.ENTRAIDC_TERRAFORM = new File(CACHE, 'bin/tofu').path
        env.TF_CLI_CONFIG_FILE = new File(CACHE, 'tofurc').path
        env.ENTRAIDC_PYTHON = new File(CACHE, 'venv/bin/python').path
        // The agent's own PATH (the harness never passes the test process's) with the toolchain's bin/ (az).
        env.PATH = new File(CACHE, 'bin').path + ':' + io.entraidc.harness.Agent.defaultEnvironment().PATH
        return env
    }
}
