package io.entraidc.demo

import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter

/**
 * The steps' lifecycle reports, copied out of the harness agent's workspace (removed when the demo
 * exits) into a directory of their own per run, build/demo/<UTC time>/, oldest first. The reports
 * hold no secret (report.py's inputs are redacted; the end-to-end tests scan them), so the copies
 * do not either; they are the only files kept.
 */
class KeptReports {
    static final DateTimeFormatter RUN_NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")

    /** The HTML lifecycle reports the steps wrote (EntraRun.reportName), oldest first. */
    static List<File> written(File workspace) {
        List<File> found = []
        if (workspace.isDirectory()) {
            workspace.eachFileRecurse { File f ->
                if (f.name ==~ /lifecycle-.+\.html/) {
                    found << f
                }
            }
        }
        return found.sort { it.lastModified() }
    }

    /** A new directory for this run under {@code parent}, named by the UTC time (a suffix if taken). */
    static File runDirectory(File parent, ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC)) {
        String name = RUN_NAME.format(now)
        File dir = new File(parent, name)
        for (int i = 2; dir.exists(); i++) {
            dir = new File(parent, "${name}-${i}")
        }
        if (!dir.mkdirs()) {
            throw new IOException("cannot create ${dir}")
        }
        return dir
    }

    /** Copies the reports of {@code workspace} into {@code dir}; returns the copies, oldest first. */
    static List<File> keep(File workspace, File dir) {
        return written(workspace).collect { File report ->
            File copy = new File(dir, report.name)
            Files.copy(report.toPath(), copy.toPath(), StandardCopyOption.COPY_ATTRIBUTES)
            copy
        }
    }
}
