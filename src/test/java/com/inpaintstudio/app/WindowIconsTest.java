package com.inpaintstudio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The window icons, added after the first frame: all three sizes, decoded, and only once. */
@ExtendWith(ApplicationExtension.class)
class WindowIconsTest {
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @Test
    void addsTheThreeSizesOnce() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> WindowIcons.addTo(stage)).get();
        List<Image> icons = List.copyOf(stage.getIcons());
        assertEquals(List.of(32.0, 64.0, 256.0), icons.stream().map(Image::getWidth).toList());
        for (Image i : icons) {
            assertFalse(i.isError(), "decoded");
            assertEquals(i.getWidth(), i.getHeight());
        }
        WaitForAsyncUtils.asyncFx(() -> WindowIcons.addTo(stage)).get();
        assertEquals(3, stage.getIcons().size(), "a second call adds nothing");
    }
}
