package com.inpaintstudio.app;

import javafx.scene.control.Button;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The editor's one table of user actions: id, menu label, keys, help text and handler. Menus, tool-bar buttons, the
 * window's key filter and the shortcut help (F1) are all made from it, so a key is defined in one place.
 */
final class ActionTable {
    /** Where an action's keys work. */
    enum Scope {
        /** A menu accelerator: works everywhere. */
        MENU,
        /** The window's key filter, even while typing in a text field. */
        ANYWHERE,
        /** The window's key filter, but not while typing (text fields keep their own keys). */
        CANVAS,
        /** Only documented in the help: a mouse gesture or a key the canvas handles itself. */
        HELP
    }

    /** One user action. Build with {@link ActionTable#add}, then chain the optional parts. */
    static final class Action {
        final String id;
        final String label;
        final String help;
        final Runnable run;
        Scope scope = Scope.HELP;
        final List<KeyCombination> keys = new ArrayList<>();
        String keyText;
        Runnable release;
        BooleanSupplier enabled = () -> true;

        private Action(String id, String label, String help, Runnable run) {
            this.id = id;
            this.label = label;
            this.help = help;
            this.run = run;
        }

        /** Keys in {@link KeyCombination#keyCombination} syntax ("Shortcut+Shift+S"); a plain key also works with Shift. */
        Action keys(Scope scope, String... combos) {
            this.scope = scope;
            for (String c : combos) {
                KeyCombination k = KeyCombination.keyCombination(c);
                if (scope != Scope.MENU && k instanceof KeyCodeCombination kc && !c.contains("+")) {
                    k = new KeyCodeCombination(kc.getCode(), KeyCombination.ModifierValue.ANY, kc.getControl(),
                            kc.getAlt(), kc.getMeta(), kc.getShortcut());
                }
                keys.add(k);
            }
            return this;
        }

        /** How the help names a gesture that is not a key ("Wheel", "Shift-click"). */
        Action gesture(String text) {
            this.keyText = text;
            return this;
        }

        /** Runs when the (held) key is let go again. */
        Action onRelease(Runnable r) {
            this.release = r;
            return this;
        }

        /** The key does nothing (and is left to others) while this is false. */
        Action when(BooleanSupplier condition) {
            this.enabled = condition;
            return this;
        }

        /** "Ctrl+Shift+S", "[ / ]", "hold O". */
        String keyText() {
            if (keyText != null) {
                return keyText;
            }
            String s = keys.stream().map(ActionTable::keyName).collect(Collectors.joining(" / "));
            return release != null ? "hold " + s : s;
        }
    }

    private final Map<String, Action> actions = new LinkedHashMap<>();

    Action add(String id, String label, String help, Runnable run) {
        Action a = new Action(id, label, help, run);
        if (actions.putIfAbsent(id, a) != null) {
            throw new IllegalArgumentException("Two actions are called " + id);
        }
        return a;
    }

    Action get(String id) {
        Action a = actions.get(id);
        if (a == null) {
            throw new IllegalArgumentException("No action " + id);
        }
        return a;
    }

    List<Action> all() {
        return List.copyOf(actions.values());
    }

    /**
     * A menu: action ids become items (menu-scope keys become accelerators), {@code null} a separator, and a
     * {@link MenuItem} (a submenu) goes in as it is.
     */
    Menu menu(String title, Object... items) {
        Menu m = new Menu(title);
        for (Object o : items) {
            m.getItems().add(o == null ? new SeparatorMenuItem() : o instanceof MenuItem mi ? mi : menuItem((String) o));
        }
        return m;
    }

    MenuItem menuItem(String id) {
        Action a = get(id);
        MenuItem m = new MenuItem(a.label);
        if (a.scope == Scope.MENU && !a.keys.isEmpty()) {
            m.setAccelerator(a.keys.get(0));
            m.setOnAction(e -> a.run.run());
        } else if ((a.scope == Scope.CANVAS || a.scope == Scope.ANYWHERE) && !a.keys.isEmpty()
                && a.keys.get(0) instanceof KeyCodeCombination k && hasModifier(k)) {
            // shown in the menu like any accelerator; the window's key filter runs it first (and consumes the key),
            // so the accelerator itself only acts when chosen from the open menu or when no text field is typing
            m.setAccelerator(k);
            m.setOnAction(e -> {
                boolean fromMenu = m.getParentMenu() != null && m.getParentMenu().isShowing();
                if (fromMenu || a.scope == Scope.ANYWHERE || !typing.getAsBoolean()) {
                    a.run.run();
                }
            });
        } else {
            m.setOnAction(e -> a.run.run());
        }
        return m;
    }

    private static boolean hasModifier(KeyCodeCombination k) {
        return k.getShortcut() == KeyCombination.ModifierValue.DOWN || k.getControl() == KeyCombination.ModifierValue.DOWN
                || k.getAlt() == KeyCombination.ModifierValue.DOWN || k.getMeta() == KeyCombination.ModifierValue.DOWN;
    }

    private BooleanSupplier typing = () -> false;

    /** Whether a text field has the keys now (canvas-scope menu accelerators then leave them to it). */
    void typing(BooleanSupplier s) {
        this.typing = s;
    }

    /** A tool-bar button whose tooltip is the action's help and keys. */
    Button button(String id, String text) {
        Action a = get(id);
        Button b = new Button(text);
        String keys = a.keyText();
        LazyTooltip.set(b, a.label + (keys.isEmpty() ? "" : " (" + keys + ")"));
        b.setOnAction(e -> a.run.run());
        b.setFocusTraversable(false);
        return b;
    }

    /** The window's key filter (pressed). {@code typing}: a text field has the focus. */
    void keyPressed(KeyEvent e, boolean typing) {
        for (Action a : actions.values()) {
            if ((a.scope == Scope.ANYWHERE || a.scope == Scope.CANVAS && !typing)
                    && a.keys.stream().anyMatch(k -> k.match(e)) && a.enabled.getAsBoolean()) {
                a.run.run();
                e.consume();
                return;
            }
        }
    }

    /** The window's key filter (released): ends held keys. */
    void keyReleased(KeyEvent e, boolean typing) {
        for (Action a : actions.values()) {
            if (a.release != null && a.keys.stream().anyMatch(k -> k instanceof KeyCodeCombination c && c.getCode() == e.getCode())) {
                a.release.run();
                if (!typing) {
                    e.consume();
                }
                return;
            }
        }
    }

    /** The shortcut help: one line per action that has keys or a gesture. */
    String helpText() {
        List<String> lines = new ArrayList<>();
        for (String[] row : helpRows()) {
            lines.add(String.format(Locale.ROOT, "%-22s %s", row[0], row[1]));
        }
        return String.join("\n", lines);
    }

    /** The shortcut help as rows of {keys, what they do}, for the F1 table. */
    List<String[]> helpRows() {
        List<String[]> rows = new ArrayList<>();
        for (Action a : actions.values()) {
            String keys = a.keyText();
            if (!keys.isEmpty() && a.help != null) {
                rows.add(new String[] {keys, a.help});
            }
        }
        return rows;
    }

    /**
     * True while keys go to text: a text field or area, an editable spinner (its focus owner is the spinner, not its
     * text field) or an editable combo box, or anything inside one of them.
     */
    static boolean isTyping(KeyEvent e, javafx.scene.Scene scene) {
        return e != null && e.getTarget() instanceof javafx.scene.Node n && takesText(n) || takesText(scene.getFocusOwner());
    }

    private static boolean takesText(javafx.scene.Node n) {
        for (; n != null; n = n.getParent()) {
            if (n instanceof TextInputControl || n instanceof javafx.scene.control.Spinner<?> s && s.isEditable()
                    || n instanceof javafx.scene.control.ComboBoxBase<?> c && c.isEditable()) {
                return true;
            }
        }
        return false;
    }

    static String keyName(KeyCombination k) {
        if (!(k instanceof KeyCodeCombination c)) {
            return k.getDisplayText();
        }
        StringBuilder s = new StringBuilder();
        if (c.getShortcut() == KeyCombination.ModifierValue.DOWN || c.getControl() == KeyCombination.ModifierValue.DOWN) {
            s.append("Ctrl+");
        }
        if (c.getAlt() == KeyCombination.ModifierValue.DOWN) {
            s.append("Alt+");
        }
        if (c.getShift() == KeyCombination.ModifierValue.DOWN) {
            s.append("Shift+");
        }
        KeyCode code = c.getCode();
        if (code.isLetterKey() || code.isDigitKey() || code == KeyCode.OPEN_BRACKET || code == KeyCode.CLOSE_BRACKET) {
            s.append(code.getChar().toUpperCase(Locale.ROOT));
        } else if (code == KeyCode.ESCAPE) {
            s.append("Esc");
        } else {
            s.append(code.getName());
        }
        return s.toString();
    }
}
