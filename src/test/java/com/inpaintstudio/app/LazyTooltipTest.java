package com.inpaintstudio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import javafx.event.Event;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Tooltips of the first frame's controls are made on the first mouse-enter, with the same text. */
@ExtendWith(ApplicationExtension.class)
class LazyTooltipTest {
    private Button button;

    @Start
    void start(Stage stage) {
        button = new Button("Fit"); // after the toolkit started
        stage.setScene(new Scene(new StackPane(button), 200, 100));
        stage.show();
    }

    private void enter() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> Event.fireEvent(button, new MouseEvent(MouseEvent.MOUSE_ENTERED, 5, 5, 5, 5,
                MouseButton.NONE, 0, false, false, false, false, false, false, false, false, false, false, null)))
                .get();
    }

    @Test
    void theTooltipIsMadeOnTheFirstMouseEnterOnly() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> LazyTooltip.set(button, "Fit the photo in the window (F)")).get();
        assertNull(button.getTooltip(), "no popup made while the window is built");
        assertEquals("Fit the photo in the window (F)", LazyTooltip.text(button));
        assertEquals("Fit the photo in the window (F)", button.getAccessibleHelp(), "screen readers get the text at once");
        enter();
        Tooltip made = button.getTooltip();
        assertEquals("Fit the photo in the window (F)", made.getText());
        assertEquals("Fit the photo in the window (F)", LazyTooltip.text(button));
        enter();
        assertSame(made, button.getTooltip(), "made once");
    }

    @Test
    void aTooltipSetMeanwhileIsKept() throws Exception {
        Tooltip own = new Tooltip("set by the code later");
        WaitForAsyncUtils.asyncFx(() -> {
            LazyTooltip.set(button, "first text");
            button.setTooltip(own);
        }).get();
        enter();
        assertSame(own, button.getTooltip());
        assertEquals("set by the code later", LazyTooltip.text(button));
    }

    @Test
    void aControlWithoutOneHasNoText() throws Exception {
        assertNull(WaitForAsyncUtils.asyncFx(() -> LazyTooltip.text(new Button("x"))).get());
    }
}
