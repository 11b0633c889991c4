package com.inpaintstudio.app;

import com.inpaintstudio.image.RgbImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionStoreTest {
    @TempDir
    Path dir;

    private static RgbImage picture(int w, int h, int salt) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 7919 + salt) & 0xffffff;
        }
        return new RgbImage(w, h, px);
    }

    private static SessionStore.SavedResult result(long id) {
        return new SessionStore.SavedResult(id, picture(40, 30, (int) id), "a prompt, \"quoted\"\nSteps: 2, Seed: " + id,
                id, 2, id == 1, 1, "tiny", "PLMS");
    }

    @Test
    void everyPixelOfPhotoMaskAndResultsComesBackExactly() throws IOException {
        SessionStore store = new SessionStore(dir.resolve("s"));
        assertTrue(store.acquire());
        byte[] mask = new byte[40 * 30];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = (byte) (i * 31);
        }
        SessionStore.Snapshot s = new SessionStore.Snapshot(picture(40, 30, 5), "/photos/a.jpg", 40, 30, mask,
                List.of(result(0), result(1)), 1, Map.of("prompt", "a cat", "steps", "7"));
        store.save(s);
        assertTrue(store.hasSession());
        SessionStore.Snapshot back = new SessionStore(dir.resolve("s")).load();
        assertArrayEquals(s.photo().rgb(), back.photo().rgb());
        assertArrayEquals(mask, back.mask());
        assertEquals(2, back.results().size());
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(s.results().get(i).image().rgb(), back.results().get(i).image().rgb());
            assertEquals(s.results().get(i).parameters(), back.results().get(i).parameters());
            assertEquals(s.results().get(i).cancelled(), back.results().get(i).cancelled());
        }
        assertEquals(1, back.selected());
        assertEquals("/photos/a.jpg", back.photoPath());
        assertEquals(Map.of("prompt", "a cat", "steps", "7"), back.settings());

        // pruned: only the results named by the newest session stay on disk
        store.save(new SessionStore.Snapshot(s.photo(), null, 40, 30, mask, List.of(result(1)), 0, Map.of()));
        try (var files = Files.list(dir.resolve("s/results"))) {
            assertEquals(List.of("result-1.png"), files.map(p -> p.getFileName().toString()).toList());
        }
        store.clear();
        assertFalse(store.hasSession(), "a clean exit clears the session");
        store.release();
    }

    @Test
    void aDamagedSessionIsOneClearErrorAndIsSetAsideNotDeleted() throws IOException {
        SessionStore store = new SessionStore(dir.resolve("s"));
        store.save(new SessionStore.Snapshot(picture(8, 8, 1), null, 8, 8, new byte[64], List.of(), -1, Map.of()));
        Files.writeString(dir.resolve("s").resolve(SessionStore.SESSION_JSON), "{\"results\": [ {\"file\": \"../../etc/passwd\"");
        IOException e = assertThrows(IOException.class, store::load);
        assertFalse(e.getMessage().isBlank());
        store.setAside();
        assertFalse(store.hasSession());
        try (var dirs = Files.list(dir)) {
            assertTrue(dirs.anyMatch(p -> p.getFileName().toString().startsWith("session-unreadable-")));
        }
        store.save(new SessionStore.Snapshot(picture(8, 8, 1), null, 8, 8, new byte[64], List.of(), -1, Map.of()));
        Files.writeString(dir.resolve("s").resolve(SessionStore.SESSION_JSON), "{\"results\": [ {\"file\": "
                + "\"../../etc/passwd\", \"seed\": 1, \"steps\": 2, \"cancelled\": false, \"stepsCompleted\": 2}]}");
        IOException outside = assertThrows(IOException.class, store::load);
        assertTrue(outside.getMessage().contains("passwd"), "a result file outside the session is refused: "
                + outside.getMessage());
    }

    @Test
    void theMaskIsEncodedAgainOnlyWhenTheDocumentChanged() throws IOException {
        SessionStore store = new SessionStore(dir.resolve("s"));
        RgbImage photo = picture(16, 16, 3);
        byte[] mask = new byte[256];
        store.save(new SessionStore.Snapshot(photo, null, 16, 16, mask, List.of(), -1, Map.of("prompt", "a"), 5));
        byte[] changed = new byte[256];
        changed[7] = (byte) 255;
        // same document version (only the prompt changed): the mask file is left as it was
        store.save(new SessionStore.Snapshot(photo, null, 16, 16, changed, List.of(), -1, Map.of("prompt", "ab"), 5));
        assertArrayEquals(mask, new SessionStore(dir.resolve("s")).load().mask());
        assertEquals("ab", new SessionStore(dir.resolve("s")).load().settings().get("prompt"));
        store.save(new SessionStore.Snapshot(photo, null, 16, 16, changed, List.of(), -1, Map.of(), 6));
        assertArrayEquals(changed, new SessionStore(dir.resolve("s")).load().mask());
    }

    @Test
    void aSecondEditorDoesNotTakeTheSession() {
        SessionStore a = new SessionStore(dir.resolve("s"));
        SessionStore b = new SessionStore(dir.resolve("s"));
        assertTrue(a.acquire());
        assertFalse(b.acquire());
        a.release();
        assertTrue(b.acquire());
        b.release();
    }
}
