package io.entraidc.harness

/*
 * Block-scoped steps of the pipeline harness. This file is compiled with the CPS
 * transformer (like pipeline code) so that calling the body closure works as it does in
 * Jenkins, where a block step runs its body through the CPS body invoker.
 */
class BlockSteps implements Serializable {
    final transient PipelineHarness h

    BlockSteps(PipelineHarness h) { this.h = h }

    def dir(String path, Closure body) {
        h.record('dir', path)
        h.pushDir(path)
        try {
            return body()
        } finally {
            h.popDir()
        }
    }

    def withEnv(List<String> vars, Closure body) {
        h.record('withEnv', vars)
        Map<String, String> frame = [:]
        for (String entry : vars) {
            int eq = entry.indexOf('=')
            frame[entry.substring(0, eq)] = entry.substring(eq + 1)
        }
        h.pushEnv(frame)
        try {
            return body()
        } finally {
            h.popEnv()
        }
    }

    def withCredentials(List bindings, Closure body) {
        h.record('withCredentials', bindings.collect { it.credentialsId })
        Map frame = h.bindCredentials(bindings)
        try {
            return body()
        } finally {
            h.unbindCredentials(frame)
        }
    }

    def stage(String name, Closure body) {
        h.record('stage', name)
        h.stages.add(name)
        h.log.addSystem("[Pipeline] { (${name})")
        try {
            return body()
        } finally {
            h.log.addSystem('[Pipeline] }')
        }
    }

    def timeout(Map args, Closure body) {
        h.record('timeout', args)
        h.pushDeadline(args.time as long, args.unit as String)
        try {
            return body()
        } finally {
            h.popDeadline()
        }
    }

    def timeout(Number minutes, Closure body) {
        return timeout([time: minutes, unit: 'MINUTES'], body)
    }

    def retry(Object count, Closure body) {
        int attempts = count instanceof Map ? (count.count as int) : (count as int)
        h.record('retry', attempts)
        int attempt = 1
        while (true) {
            try {
                return body()
            } catch (FlowInterruptedException e) {
                throw e
            } catch (Throwable e) {
                if (attempt >= attempts) {
                    throw e
                }
                h.log.addSystem("ERROR: ${e.message}")
                h.log.addSystem('Retrying')
                attempt++
            }
        }
    }

    def lock(Object resource, Closure body) {
        String name = resource instanceof Map ? resource.resource : resource
        h.record('lock', name)
        h.log.addSystem("Trying to acquire lock on [Resource: ${name}]")
        h.locks.add(name)
        h.log.addSystem("Lock acquired on [Resource: ${name}]")
        try {
            return body()
        } finally {
            h.log.addSystem("Lock released on resource [Resource: ${name}]")
        }
    }

    def catchError(Map args, Closure body) {
        h.record('catchError', args)
        try {
            return body()
        } catch (FlowInterruptedException e) {
            throw e
        } catch (Throwable e) {
            h.log.addSystem("ERROR: ${e.message}")
            h.currentBuild.setResult((args.buildResult ?: 'FAILURE') as String)
            return null
        }
    }

    def catchError(Closure body) {
        return catchError([:], body)
    }

    def node(Object label, Closure body) {
        h.record('node', label)
        return body()
    }

    def node(Closure body) {
        return node(null, body)
    }
}
