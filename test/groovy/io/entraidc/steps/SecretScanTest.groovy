package io.entraidc.steps

import org.junit.jupiter.api.Test
import org.opentest4j.AssertionFailedError

import java.nio.file.Files
import java.util.zip.ZipEntry
import java.util.zip.ZipOutputStream

import static org.junit.jupiter.api.Assertions.*

/** SecretScan finds a value raw, base64- or URL-encoded, inside nested zip entries; it does not follow symlinks. */
class SecretScanTest {
    static final Map<String, String> SECRETS = ['a password': 'Pa55/word+x?=']

    static File tree() { return Files.createTempDirectory('secret-scan-').toFile() }

    static byte[] zipOf(String name, byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream()
        new ZipOutputStream(bytes).withCloseable { zip ->
            zip.putNextEntry(new ZipEntry(name))
            zip.write(content)
            zip.closeEntry()
        }
        return bytes.toByteArray()
    }

    static String failure(File root, String log = '') {
        return assertThrows(AssertionFailedError) { SecretScan.assertNowhere(SECRETS, log, [root]) }.message
    }

    @Test
    void aCleanTreeIsCountedAndPasses() {
        File root = tree()
        new File(root, 'a/b').mkdirs()
        new File(root, 'a/b/state.json').text = '{"value": "nothing secret"}'
        assertEquals([files: 1L, bytes: 27L], SecretScan.assertNowhere(SECRETS, 'a log', [root]))
    }

    @Test
    void findsTheValueInTheLogRawEncodedAndInNestedZipEntriesNamingWhereNotWhat() {
        File root = tree()
        new File(root, 'plain.txt').text = 'x' * 5000000 + SECRETS['a password']  // across a chunk boundary
        new File(root, 'b64.txt').text = Base64.encoder.encodeToString(SECRETS['a password'].bytes)
        new File(root, 'url.txt').text = 'p=' + URLEncoder.encode(SECRETS['a password'], 'UTF-8')
        new File(root, 'plan.bin').bytes = zipOf('outer.zip', zipOf('tfplan', SECRETS['a password'].bytes))
        String message = failure(root, "log ${SECRETS['a password']}")
        ['a password in the build log', 'a password in ' + new File(root, 'plain.txt').path,
         'a password (base64) in ' + new File(root, 'b64.txt').path,
         'a password (URL-encoded) in ' + new File(root, 'url.txt').path,
         'a password in ' + new File(root, 'plan.bin').path + '!outer.zip!tfplan'].each {
            assertTrue(message.contains(it), "${it}: ${message}")
        }
        assertFalse(message.contains(SECRETS['a password']), message)
    }

    @Test
    void doesNotFollowSymbolicLinks() {
        File outside = tree()
        new File(outside, 'provider').text = SECRETS['a password']
        File root = tree()
        Files.createSymbolicLink(new File(root, 'link').toPath(), outside.toPath())
        assertEquals(0L, SecretScan.assertNowhere(SECRETS, '', [root]).files)
        failure(outside)
    }
}
