package io.entraidc.steps

import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.util.zip.ZipInputStream

import static org.junit.jupiter.api.Assertions.fail

/**
 * Proves that no secret value is in a log or in any file under the given roots: every regular file
 * (symbolic links are not followed: the providers Terraform links from its plugin cache are not the
 * build's files), read whole in chunks, and every entry of a zip file (plans are zip files), nested
 * zips too. Each value is looked for as it is, base64-encoded and URL-encoded.
 */
class SecretScan {
    private static final int CHUNK = 1 << 22

    /** {@code secrets}: what each secret is -> its value; failures name what and where, never the value. */
    static void assertNowhere(Map<String, String> secrets, String log, File workspace) {
        assertNowhere(secrets, log, [workspace])
    }

    /** As above over several roots; returns [files: n, bytes: n] scanned, for the test to print. */
    static Map<String, Long> assertNowhere(Map<String, String> secrets, String log, List<File> roots) {
        Map<String, String> needles = forms(secrets)
        List<String> found = []
        needles.each { String what, String needle ->
            if (log.contains(needle)) {
                found << "${what} in the build log".toString()
            }
        }
        Map<String, Long> scanned = [files: 0L, bytes: 0L]
        roots.findAll { it.exists() }.each { File root ->
            java.util.stream.Stream<java.nio.file.Path> paths = Files.walk(root.toPath())
            try {
                paths.filter { Files.isRegularFile(it, java.nio.file.LinkOption.NOFOLLOW_LINKS) }.forEach { path ->
                    scanned.files++
                    scanned.bytes += Files.size(path)
                    path.withInputStream { InputStream input ->
                        scan(input, path.toString(), needles, found)
                    }
                }
            } finally {
                paths.close()
            }
        }
        if (found) {
            fail("a secret value was found in: ${found.unique()}")
        }
        return scanned
    }

    /** Each secret as it is, base64-encoded and URL-encoded (as ISO-8859-1 strings of their UTF-8 bytes). */
    private static Map<String, String> forms(Map<String, String> secrets) {
        Map<String, String> needles = [:]
        secrets.each { String what, String value ->
            byte[] raw = value.getBytes(StandardCharsets.UTF_8)
            needles[what] = new String(raw, StandardCharsets.ISO_8859_1)
            needles["${what} (base64)".toString()] = Base64.encoder.encodeToString(raw)
            String url = URLEncoder.encode(value, StandardCharsets.UTF_8)
            if (url != value) {
                needles["${what} (URL-encoded)".toString()] = url
            }
        }
        return needles
    }

    private static void scan(InputStream input, String name, Map<String, String> needles, List<String> found) {
        BufferedInputStream buffered = new BufferedInputStream(input, CHUNK)
        buffered.mark(4)
        byte[] head = buffered.readNBytes(4)
        buffered.reset()
        if (head.length == 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04) {
            ZipInputStream zip = new ZipInputStream(buffered)
            for (def entry = zip.nextEntry; entry != null; entry = zip.nextEntry) {
                scan(new NonClosing(zip), "${name}!${entry.name}", needles, found)
            }
            return
        }
        int overlap = (needles.values()*.length().max() ?: 1) - 1
        String carry = ''
        byte[] chunk
        while ((chunk = buffered.readNBytes(CHUNK)).length > 0) {
            String text = carry + new String(chunk, StandardCharsets.ISO_8859_1)
            needles.each { String what, String needle ->
                if (text.contains(needle)) {
                    found << "${what} in ${name}".toString()
                }
            }
            carry = text.length() > overlap ? text.substring(text.length() - overlap) : text
        }
    }

    /** A zip entry's stream, which the nested scan must not close (that would close the whole zip). */
    private static class NonClosing extends FilterInputStream {
        NonClosing(InputStream input) { super(input) }

        @Override
        void close() {}
    }
}
