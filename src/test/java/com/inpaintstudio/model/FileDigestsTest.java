package com.inpaintstudio.model;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FileDigestsTest {
    @Test
    void sha256OfAFileIsTheFipsVector(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", FileDigests.sha256(f));
    }

    @Test
    void prefixIsHashedBeforeTheStreamAsGitHashesABlob() throws Exception {
        // git hash-object of a file holding "hello\n"
        byte[] body = "hello\n".getBytes(StandardCharsets.US_ASCII);
        String sha1 = FileDigests.hex(new ByteArrayInputStream(body), "SHA-1",
                "blob 6\0".getBytes(StandardCharsets.US_ASCII));
        assertEquals("ce013625030ba8dba906f756967f9e9ca394464a", sha1);
    }

    @Test
    void readsPastOneBlock(@TempDir Path dir) throws Exception {
        byte[] big = new byte[(1 << 20) * 2 + 17];
        Path f = Files.write(dir.resolve("big.bin"), big);
        String oneShot = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(big));
        assertEquals(oneShot, FileDigests.sha256(f));
    }
}
