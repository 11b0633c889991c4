package com.inpaintstudio.app;

import com.inpaintstudio.tensor.ComputeOptions;
import com.inpaintstudio.tensor.Precision;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.concurrent.atomic.AtomicReference;
import java.util.prefs.Preferences;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Speed menu: Auto and fused kernels by default, the choice goes into the request options and is remembered. */
@ExtendWith(ApplicationExtension.class)
class SpeedMenuTest {
    private Preferences prefs;

    @Start
    void start(Stage stage) {
        prefs = Preferences.userRoot().node("com/inpaintstudio/editor-speedmenu-" + System.nanoTime());
    }

    @AfterEach
    void tearDown() throws Exception {
        prefs.removeNode();
    }

    @Test
    void choiceReachesTheRequestOptionsAndIsRemembered(FxRobot robot) {
        AtomicReference<SpeedController> speed = new AtomicReference<>();
        robot.interact(() -> speed.set(new SpeedController(prefs)));
        SpeedController s = speed.get();
        assertEquals(new ComputeOptions(Precision.AUTO, true), s.options(), "defaults: auto, fused kernels on");
        assertTrue(s.menu.getItems().contains(s.fused));
        assertTrue(s.precisionItems.get(Precision.AUTO).getText().startsWith("Auto"));

        robot.interact(() -> {
            s.precisionItems.get(Precision.BF16).setSelected(true); // what a click on the item does
            s.fused.setSelected(false);
        });
        assertEquals(new ComputeOptions(Precision.BF16, false), s.options());
        assertEquals("bf16", prefs.get(SpeedController.PRECISION_KEY, null));

        robot.interact(() -> speed.set(new SpeedController(prefs)));
        assertEquals(new ComputeOptions(Precision.BF16, false), speed.get().options(), "read back from the settings");

        prefs.put(SpeedController.PRECISION_KEY, "fp8"); // a settings value this version does not know
        robot.interact(() -> speed.set(new SpeedController(prefs)));
        assertEquals(Precision.AUTO, speed.get().options().precision());
    }
}
