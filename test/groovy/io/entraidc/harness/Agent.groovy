package io.entraidc.harness

import java.nio.file.Files
import java.nio.file.Path
import java.util.stream.Collectors
import java.util.stream.Stream

/**
 * A Jenkins agent: its own environment (what its agent process was started with, never the
 * test process's) and a file-system root under which each job has a workspace that outlives
 * its builds, as Jenkins' WorkspaceList allocates them ("<root>/workspace/<job>", "@2" for a
 * second concurrent build of the same job; https://www.jenkins.io/doc/book/pipeline/syntax/#agent
 * and hudson.slaves.WorkspaceList in Jenkins core).
 */
class Agent {
    /** What a Linux agent started as a service has: a system PATH, its user's HOME, no more. */
    static Map<String, String> defaultEnvironment() {
        return [PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
                HOME: System.getProperty('user.home'), USER: System.getProperty('user.name'), LANG: 'C.UTF-8']
    }

    final String name
    final File root
    final Map<String, String> environment
    private final Set<File> busy = new HashSet<>()

    /** Every agent root of this JVM, removed when it exits (a test that needs one afterwards copies it). */
    private static final List<File> ROOTS = Collections.synchronizedList([])
    static {
        Runtime.runtime.addShutdownHook(new Thread({ ROOTS.each { File root -> remove(root) } }))
    }

    /**
     * Deletes {@code root} and everything under it without following symbolic links: a workspace
     * holds links into shared caches (Terraform's .terraform/providers/... links to the plugin cache,
     * whose entries link to the toolchain's provider mirror), and Groovy's File.deleteDir() descends
     * into linked directories and empties them (it emptied the toolchain's provider mirror at every
     * JVM exit: every later tofu init on the machine failed with "provider binary not found").
     * Files.walk does not follow links unless asked (java.nio.file.Files#walk, FileVisitOption).
     */
    static void remove(File root) {
        Path top = root.toPath()
        if (!Files.exists(top) && !Files.isSymbolicLink(top)) {
            return
        }
        Stream<Path> walk = Files.walk(top)
        List<Path> paths
        try {
            paths = walk.sorted(Collections.reverseOrder()).collect(Collectors.toList())
        } finally {
            walk.close()
        }
        for (Path path : paths) {
            Files.deleteIfExists(path)
        }
    }

    Agent(String name = 'agent-1', Map<String, String> environment = defaultEnvironment()) {
        this.name = name
        this.root = Files.createTempDirectory("harness-${name}-").toFile().canonicalFile
        ROOTS.add(root)
        this.environment = new LinkedHashMap<>(environment)
    }

    /** The job's workspace; a concurrent build of the same job gets "<workspace>@2", as WorkspaceList.allocate does. */
    synchronized File allocate(String jobName) {
        File base = new File(root, "workspace/${jobName}")
        File candidate = base
        for (int n = 2; busy.contains(candidate); n++) {
            candidate = new File(base.path + '@' + n)
        }
        busy.add(candidate)
        candidate.mkdirs()
        return candidate
    }

    synchronized void release(File workspace) { busy.remove(workspace) }
}
