package io.entraidc.steps

import java.util.zip.ZipFile

import static org.junit.jupiter.api.Assertions.fail

/** Proves that no secret value is in a log or in any file of a workspace (plans are zip files). */
class SecretScan {
    /** {@code secrets}: what each secret is -> its value; failures name what and where, never the value. */
    static void assertNowhere(Map<String, String> secrets, String log, File workspace) {
        List<String> found = []
        secrets.each { String what, String secret ->
            if (log.contains(secret)) {
                found << "${what} in the build log".toString()
            }
        }
        workspace.eachFileRecurse { File file ->
            if (!file.file || file.path.contains('/.terraform/')) {
                return
            }
            textsOf(file).each { String name, String text ->
                secrets.each { String what, String secret ->
                    if (text.contains(secret)) {
                        found << "${what} in ${workspace.toPath().relativize(file.toPath())}${name}".toString()
                    }
                }
            }
        }
        if (found) {
            fail("a secret value was found in: ${found.unique()}")
        }
    }

    private static Map<String, String> textsOf(File file) {
        byte[] head = file.size() >= 4 ? file.withInputStream { it.readNBytes(4) } : new byte[0]
        if (head.length == 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04) {
            Map<String, String> texts = [:]
            new ZipFile(file).withCloseable { zip ->
                zip.entries().each { entry -> texts["!${entry.name}".toString()] = zip.getInputStream(entry).text }
            }
            return texts
        }
        return ['': new String(file.bytes, 'ISO-8859-1')]
    }
}
