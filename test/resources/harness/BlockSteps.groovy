package io.entraidc.harness

import com.cloudbees.groovy.cps.Continuable

/*
 * The steps of the pipeline harness, as pipeline code calls them. This file is compiled with
 * the CPS transformer (like pipeline code): a simple step suspends the program
 * (Continuable.suspend) and runs outside it (PipelineHarness.perform), as a Jenkins step
 * suspends its CPS thread; a block step saves the program at its boundary too, then runs its
 * body through CPS, as Jenkins' body invoker does.
 */
class BlockSteps implements Serializable {
    final transient PipelineHarness h

    BlockSteps(PipelineHarness h) { this.h = h }

    def step(String name, List argv) {
        return Continuable.suspend(new StepCall(name, argv))
    }

    def block(String name, List argv) {
        Closure body = argv ? (argv[-1] instanceof Closure ? argv[-1] : null) : null
        if (body == null) {
            throw new IllegalArgumentException("${name} needs a body ({ ... })")
        }
        Map args = h.beginBlockStep(name, argv)
        Continuable.suspend(new StepCall(name, argv, true))
        switch (name) {
            case 'dir': return dir(args, body)
            case 'withEnv': return withEnv(args, body)
            case 'withCredentials': return withCredentials(args, body)
            case 'stage': return stage(args, body)
            case 'timeout': return timeout(args, body)
            case 'retry': return retry(args, body)
            case 'lock': return lock(args, body)
            case 'catchError': return catchError(args, body)
            case 'node': return node(args, body)
            default: throw new IllegalStateException("no block step ${name}")
        }
    }

    private def dir(Map args, Closure body) {
        h.pushDir(args.path as String)
        try {
            return body()
        } finally {
            h.popDir()
        }
    }

    private def withEnv(Map args, Closure body) {
        Map<String, String> frame = [:]
        for (String entry : (List<String>) args.overrides) {
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

    private def withCredentials(Map args, Closure body) {
        Map frame = h.bindCredentials((List) args.bindings)
        try {
            return body()
        } finally {
            h.unbindCredentials(frame)
        }
    }

    private def stage(Map args, Closure body) {
        String name = args.name
        h.stages.add(name)
        h.openStages.push(name)
        h.log.addSystem("[Pipeline] { (${name})")
        try {
            return body()
        } finally {
            h.openStages.pop()
            h.log.addSystem('[Pipeline] }')
        }
    }

    private def timeout(Map args, Closure body) {
        h.pushTimeout(args.time as long, args.unit as String)
        try {
            return body()
        } finally {
            h.popTimeout()
        }
    }

    private def retry(Map args, Closure body) {
        int attempts = args.count as int
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

    /**
     * lockable-resources LockStepExecution.proceed: with {@code variable}, the block sees the
     * locked resources' names, comma-separated, in that environment variable (and each one in
     * VARIABLE0, VARIABLE1, ...), as the plugin's README shows with env.LOCKED_RESOURCE.
     */
    private def lock(Map args, Closure body) {
        String name = args.resource
        h.acquireLock(name)
        boolean exposed = args.variable as boolean
        if (exposed) {
            h.pushEnv([(args.variable as String): name, ("${args.variable}0".toString()): name])
        }
        try {
            return body()
        } finally {
            if (exposed) {
                h.popEnv()
            }
            h.releaseLock(name)
        }
    }

    private def catchError(Map args, Closure body) {
        try {
            return body()
        } catch (FlowInterruptedException e) {
            if (!args.catchInterruptions && args.catchInterruptions != null) {
                throw e
            }
            h.log.addSystem("ERROR: ${e.message}")
            h.currentBuild.setResult((args.buildResult ?: 'FAILURE') as String)
            return null
        } catch (Throwable e) {
            h.log.addSystem("ERROR: ${e.message}")
            h.currentBuild.setResult((args.buildResult ?: 'FAILURE') as String)
            return null
        }
    }

    private def node(Map args, Closure body) {
        h.enterNode(args.label as String)
        try {
            return body()
        } finally {
            h.exitNode()
        }
    }
}
