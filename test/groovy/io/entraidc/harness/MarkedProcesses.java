package io.entraidc.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds and kills processes by an environment variable they inherited, as Jenkins core's
 * hudson.util.ProcessTree does: killAll(modelEnvVars) kills every process whose environment
 * (/proc/PID/environ) carries the given variables (OSProcess.hasMatchingEnvVars), with its
 * descendants (killRecursively: SIGTERM, SIGKILL after SoftKillWaitSeconds). A variable reaches
 * processes the parent/child tree loses: Terraform's provider plugins outlive a SIGKILLed
 * Terraform as children of init, still carrying it. Java, not Groovy: Groovy 2.4 cannot call
 * ProcessHandle's static interface methods.
 */
public final class MarkedProcesses {
    private MarkedProcesses() {
    }

    /** A process as the /proc scan saw it. */
    public static final class Seen {
        public final long pid;
        public final long parent;
        public final String command;

        Seen(long pid, long parent, String command) {
            this.pid = pid;
            this.parent = parent;
            this.command = command;
        }

        @Override
        public String toString() {
            return "pid " + pid + " (parent " + parent + (parent == 1 ? ", orphaned" : "") + "): " + command;
        }
    }

    /** Every live process (not this JVM, not a zombie) whose environment has {@code name=value}. */
    public static List<Seen> carrying(String name, String value) {
        byte[] entry = (name + "=" + value).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Seen> found = new ArrayList<>();
        File[] dirs = new File("/proc").listFiles();
        for (File dir : dirs == null ? new File[0] : dirs) {
            if (!dir.getName().matches("\\d+") || Long.parseLong(dir.getName()) == self) {
                continue;
            }
            byte[] environ = read(new File(dir, "environ"));
            if (environ != null && hasEntry(environ, entry)) {
                Seen seen = describe(Long.parseLong(dir.getName()));
                if (seen != null) {
                    found.add(seen);
                }
            }
        }
        return found;
    }

    /**
     * SIGTERM, once, to every process carrying {@code name=value}, to its descendants and to
     * {@code also}; SIGKILL to what is left after {@code softKillMillis}; then SIGKILL to whatever
     * the variable still marks (a process forked while the others died), until none is left.
     * Answers what it found.
     */
    public static List<Seen> killAll(String name, String value, long softKillMillis, List<ProcessHandle> also)
            throws InterruptedException {
        List<Seen> found = carrying(name, value);
        List<ProcessHandle> targets = union(also, withDescendants(found));
        targets.forEach(ProcessHandle::destroy);
        long end = System.currentTimeMillis() + softKillMillis;
        for (ProcessHandle p : targets) {
            waitQuietly(p, end - System.currentTimeMillis());
        }
        List<Seen> all = new ArrayList<>(found);
        all.addAll(killNow(name, value, targets));
        return all;
    }

    public static List<Seen> killAll(String name, String value, long softKillMillis) throws InterruptedException {
        return killAll(name, value, softKillMillis, Collections.emptyList());
    }

    /** SIGKILL to {@code also} and to every process carrying {@code name=value}, until a scan finds none. */
    public static List<Seen> killNow(String name, String value, List<ProcessHandle> also) throws InterruptedException {
        also.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        List<Seen> killed = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            List<Seen> left = carrying(name, value);
            if (left.isEmpty()) {
                return killed;
            }
            List<ProcessHandle> targets = withDescendants(left);
            targets.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : targets) {
                waitQuietly(p, 2000L);
            }
            killed.addAll(left);
        }
        throw new IllegalStateException("processes carrying " + name + "=" + value + " keep coming back: "
                + carrying(name, value));
    }

    public static List<Seen> killNow(String name, String value) throws InterruptedException {
        return killNow(name, value, Collections.emptyList());
    }

    private static List<ProcessHandle> withDescendants(List<Seen> seen) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (Seen s : seen) {
            ProcessHandle.of(s.pid).ifPresent(h -> {
                handles.add(h);
                h.descendants().forEach(handles::add);
            });
        }
        return handles;
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        Map<Long, ProcessHandle> byPid = new LinkedHashMap<>();
        a.forEach(h -> byPid.putIfAbsent(h.pid(), h));
        b.forEach(h -> byPid.putIfAbsent(h.pid(), h));
        return new ArrayList<>(byPid.values());
    }

    private static void waitQuietly(ProcessHandle p, long millis) throws InterruptedException {
        if (millis <= 0) {
            return;
        }
        try {
            p.onExit().get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException ignored) {
            // still running (or a zombie its parent has not collected; the next scan skips those)
        }
    }

    private static Seen describe(long pid) {
        byte[] stat = read(new File("/proc/" + pid + "/stat"));
        if (stat == null) {
            return null;
        }
        String text = new String(stat, StandardCharsets.UTF_8);
        // "pid (comm) S ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
        String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
        if (fields[0].equals("Z") || fields[0].equals("X")) {
            return null;
        }
        byte[] cmdline = read(new File("/proc/" + pid + "/cmdline"));
        String command = cmdline == null ? "?" : new String(cmdline, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        if (command.length() > 300) {
            command = command.substring(0, 300) + "…";
        }
        return new Seen(pid, Long.parseLong(fields[1]), command);
    }

    private static boolean hasEntry(byte[] environ, byte[] entry) {
        int start = 0;
        while (start < environ.length) {
            int end = start;
            while (end < environ.length && environ[end] != 0) {
                end++;
            }
            if (end - start == entry.length && Arrays.equals(Arrays.copyOfRange(environ, start, end), entry)) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }

    /** The file's bytes, or null when the process is gone or not ours to read. */
    private static byte[] read(File file) {
        try {
            return Files.readAllBytes(file.toPath());
        } catch (IOException e) {
            return null;
        }
    }
}
