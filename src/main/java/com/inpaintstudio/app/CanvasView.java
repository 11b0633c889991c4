package com.inpaintstudio.app;

import com.inpaintstudio.image.Rect;
import com.inpaintstudio.image.RgbImage;
import com.inpaintstudio.pipeline.StepEvent;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Point2D;
import javafx.scene.Cursor;
import javafx.scene.Group;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;

/**
 * The painting surface: photo, mask overlay, live preview, round brush cursor; zoom around the pointer, pan with
 * space-drag or middle-drag. Strokes go into the {@link MaskModel} and, when the button is released, one
 * {@link MaskEdit} into the {@link EditHistory}.
 */
public final class CanvasView extends Region {
    public enum Tool { BRUSH, ERASER }

    private final Group content = new Group();
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final ImageView photoView = new ImageView();
    private final ImageView previewView = new ImageView();
    private final Circle cursor = new Circle();
    private final Circle cursorInner = new Circle();
    private final Rectangle clip = new Rectangle();
    private final Rectangle outline = new Rectangle();
    private java.util.function.Consumer<com.inpaintstudio.image.CanvasExtension.Sides> outlineDragged = s -> { };
    private int dragEdge = -1; // 0 left, 1 top, 2 right, 3 bottom of the extension outline

    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(Tool.BRUSH);
    private final DoubleProperty brushSize = new SimpleDoubleProperty(60);
    private final DoubleProperty hardness = new SimpleDoubleProperty(0.8);
    private final BooleanProperty overlayVisible = new SimpleBooleanProperty(true);
    private final ObjectProperty<Color> overlayColor = new SimpleObjectProperty<>(Color.web("#ff3d6e"));
    private final ReadOnlyDoubleWrapper zoom = new ReadOnlyDoubleWrapper(1);
    private final BooleanProperty showOriginal = new SimpleBooleanProperty(false);

    private EditHistory history;
    private RgbImage photo;
    private javafx.scene.image.Image photoFx;
    private MaskModel mask;
    private MaskOverlay overlay;
    private StrokeRecorder recorder;
    private WritableImage previewImage;
    private javafx.scene.image.Image viewedImage;

    private double tx;
    private double ty;
    private boolean spaceDown;
    private boolean panning;
    private boolean painting;
    private double panStartX;
    private double panStartY;
    private double panStartTx;
    private double panStartTy;
    private Point2D lastPoint;      // last brush point of the current stroke (photo coords)
    private Point2D lastStrokeEnd;  // for Shift-click straight lines
    private boolean fitPending = true;
    /** The view is "Fit" (not zoomed or panned since): a resize fits again. */
    private boolean fitted;
    private double fittedW;
    private double fittedH;
    /** Zoom factor of one mouse-wheel notch. */
    static final double WHEEL_NOTCH_ZOOM = 1.18;

    public CanvasView() {
        getStyleClass().add("canvas-view");
        content.getTransforms().add(scale);
        previewView.setMouseTransparent(true);
        photoView.setMouseTransparent(true);
        content.getChildren().addAll(photoView, previewView, outline);
        outline.setFill(null);
        outline.setStroke(Color.web("#ffd54a"));
        outline.getStrokeDashArray().setAll(6.0, 4.0);
        outline.setMouseTransparent(true);
        outline.setVisible(false);
        outline.strokeWidthProperty().bind(javafx.beans.binding.Bindings.divide(2.0, zoom));
        cursor.setFill(null);
        cursor.setStroke(Color.WHITE);
        cursor.setStrokeWidth(1.5);
        cursor.setMouseTransparent(true);
        cursor.setVisible(false);
        cursorInner.setFill(null);
        cursorInner.setStroke(Color.color(0, 0, 0, 0.7));
        cursorInner.setStrokeWidth(1);
        cursorInner.setMouseTransparent(true);
        cursorInner.visibleProperty().bind(cursor.visibleProperty());
        getChildren().addAll(content, cursorInner, cursor);
        setClip(clip);
        setFocusTraversable(true);
        setCursor(Cursor.NONE);

        overlayVisible.addListener((o, a, b) -> refreshLayers());
        showOriginal.addListener((o, a, b) -> refreshLayers());
        overlayColor.addListener((o, a, b) -> {
            if (overlay != null) {
                overlay.setStyle(b, 0.5);
            }
        });
        brushSize.addListener((o, a, b) -> updateCursorRadius());
        zoom.addListener((o, a, b) -> updateCursorRadius());

        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> moveCursor(e.getX(), e.getY()));
        addEventHandler(MouseEvent.MOUSE_ENTERED, e -> { moveCursor(e.getX(), e.getY()); cursor.setVisible(photo != null); });
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> cursor.setVisible(false));
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    }

    /** Shows a new photo with its (new) mask; resets zoom to fit. */
    public void setDocument(RgbImage photo, MaskModel mask, EditHistory history) {
        setDocument(photo, FxImages.toFx(photo), mask, history);
    }

    /** As above, with the photo's JavaFX image already made (off the FX thread, for big photos). */
    public void setDocument(RgbImage photo, javafx.scene.image.Image photoImage, MaskModel mask, EditHistory history) {
        this.photo = photo;
        this.mask = mask;
        this.history = history;
        this.photoFx = photoImage;
        this.viewedImage = null;
        photoView.setImage(photoFx);
        clearPreview();
        if (overlay != null) {
            content.getChildren().remove(overlay);
        }
        overlay = new MaskOverlay(mask, overlayColor.get(), 0.5);
        content.getChildren().add(1, overlay);
        recorder = new StrokeRecorder(mask, overlay::update);
        lastStrokeEnd = null;
        refreshLayers();
        fitPending = true;
        requestLayout();
    }

    /**
     * Draws the outline of the canvas an extension would make (photo coordinates, reaching past the photo), or hides
     * it for null. The view zooms out to show all of it.
     */
    public void showExtensionOutline(com.inpaintstudio.image.CanvasExtension.Sides s) {
        if (s == null || photo == null) {
            outline.setVisible(false);
            dragEdge = -1;
            return;
        }
        outline.setX(-s.left());
        outline.setY(-s.top());
        outline.setWidth(photo.width() + s.left() + s.right());
        outline.setHeight(photo.height() + s.top() + s.bottom());
        outline.setVisible(true);
        double w = getWidth();
        double h = getHeight();
        if (dragEdge < 0 && w > 0 && h > 0) {
            Point2D a = toView(outline.getX(), outline.getY());
            Point2D b = toView(outline.getX() + outline.getWidth(), outline.getY() + outline.getHeight());
            if (a.getX() < 0 || a.getY() < 0 || b.getX() > w || b.getY() > h) { // zoom out to show all of it
                double z = 0.9 * Math.min(w / outline.getWidth(), h / outline.getHeight());
                double cx = outline.getX() + outline.getWidth() / 2;
                double cy = outline.getY() + outline.getHeight() / 2;
                setView(z, w / 2 - cx * z, h / 2 - cy * z);
            }
        }
    }

    /** Told the new sides while the user drags an edge of the extension outline (snapped to 8 px). */
    public void setOnOutlineDragged(java.util.function.Consumer<com.inpaintstudio.image.CanvasExtension.Sides> c) {
        outlineDragged = c == null ? s -> { } : c;
    }

    /** The outline edge within a few screen pixels of view point (sx, sy), or -1. */
    private int outlineEdgeAt(double sx, double sy) {
        Point2D p = toPhoto(sx, sy);
        double tol = 8 / zoom.get();
        double x0 = outline.getX();
        double y0 = outline.getY();
        double x1 = x0 + outline.getWidth();
        double y1 = y0 + outline.getHeight();
        boolean inY = p.getY() > y0 - tol && p.getY() < y1 + tol;
        boolean inX = p.getX() > x0 - tol && p.getX() < x1 + tol;
        if (inY && Math.abs(p.getX() - x0) <= tol) {
            return 0;
        }
        if (inY && Math.abs(p.getX() - x1) <= tol) {
            return 2;
        }
        if (inX && Math.abs(p.getY() - y0) <= tol) {
            return 1;
        }
        if (inX && Math.abs(p.getY() - y1) <= tol) {
            return 3;
        }
        return -1;
    }

    private void dragOutline(MouseEvent e) {
        Point2D p = toPhoto(e.getX(), e.getY());
        int left = (int) -outline.getX();
        int top = (int) -outline.getY();
        int right = (int) (outline.getWidth() - photo.width() - left);
        int bottom = (int) (outline.getHeight() - photo.height() - top);
        switch (dragEdge) {
            case 0 -> left = snap(-p.getX());
            case 1 -> top = snap(-p.getY());
            case 2 -> right = snap(p.getX() - photo.width());
            default -> bottom = snap(p.getY() - photo.height());
        }
        com.inpaintstudio.image.CanvasExtension.Sides s =
                new com.inpaintstudio.image.CanvasExtension.Sides(left, top, right, bottom);
        showExtensionOutline(s);
        outlineDragged.accept(s);
    }

    private static int snap(double v) {
        return Math.max(0, (int) Math.round(v / 8) * 8);
    }

    /** True while an extension outline is drawn. */
    public boolean isExtensionOutlineShown() {
        return outline.isVisible();
    }

    /** Replaces the photo but keeps mask, history and view (used by "Use as base" and its undo). */
    public void replacePhoto(RgbImage newPhoto, javafx.scene.image.Image newPhotoImage) {
        this.photo = newPhoto;
        this.photoFx = newPhotoImage;
        this.viewedImage = null;
        photoView.setImage(photoFx);
        refreshLayers();
    }

    public RgbImage photo() {
        return photo;
    }

    public javafx.scene.image.Image photoImage() {
        return photoFx;
    }

    public MaskModel mask() {
        return mask;
    }

    public MaskOverlay overlay() {
        return overlay;
    }

    /** Shows another picture of the photo's size (a result) in place of the photo; null shows the photo again. */
    public void view(javafx.scene.image.Image img) {
        viewedImage = img;
        refreshLayers();
    }

    public boolean isViewingResult() {
        return viewedImage != null;
    }

    /**
     * Draws a step's preview frame with its alpha over the photo, scaled into the step's region; false (nothing drawn)
     * when the step came without a preview.
     */
    public boolean showPreview(StepEvent e) {
        if (e.preview() == null || e.regionWidth() <= 0 || e.regionHeight() <= 0) {
            return false;
        }
        showPreview(e.regionX(), e.regionY(), e.regionWidth(), e.regionHeight(), e.preview().width(),
                e.preview().height(), e.previewArgb());
        return true;
    }

    /** Draws ARGB {@code w x h} pixels scaled into the photo rectangle {@code x, y, regionW, regionH}. */
    private void showPreview(int x, int y, int regionW, int regionH, int w, int h, int[] argb) {
        if (previewImage == null || (int) previewImage.getWidth() != w || (int) previewImage.getHeight() != h) {
            previewImage = new WritableImage(w, h);
            previewView.setImage(previewImage);
        }
        previewImage.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        previewView.setLayoutX(x);
        previewView.setLayoutY(y);
        previewView.setFitWidth(regionW);
        previewView.setFitHeight(regionH);
        refreshLayers();
    }

    public void clearPreview() {
        previewImage = null;
        previewView.setImage(null);
    }

    public boolean hasPreview() {
        return previewImage != null;
    }

    public WritableImage previewImage() {
        return previewImage;
    }

    private void refreshLayers() {
        boolean orig = showOriginal.get();
        photoView.setImage(!orig && viewedImage != null ? viewedImage : photoFx);
        previewView.setVisible(!orig && viewedImage == null);
        if (overlay != null) {
            overlay.setVisible(!orig && overlayVisible.get() && viewedImage == null);
        }
        photoView.setSmooth(zoom.get() < 2);
    }

    // ---- view transform -------------------------------------------------------------------------------------

    public void fit() {
        if (photo == null || getWidth() <= 0 || getHeight() <= 0) {
            fitPending = true;
            return;
        }
        double z = Math.min((getWidth() - 16) / photo.width(), (getHeight() - 16) / photo.height());
        z = Math.max(0.01, z);
        setView(z, (getWidth() - photo.width() * z) / 2, (getHeight() - photo.height() * z) / 2);
        fitted = true;
        fittedW = getWidth();
        fittedH = getHeight();
    }

    /** True while the view shows the whole photo as "Fit" made it (a window resize fits again). */
    public boolean isFitted() {
        return fitted;
    }

    /** One photo pixel per device pixel (HiDPI-aware). */
    public void actualSize() {
        if (photo == null) {
            return;
        }
        double rs = getScene() != null && getScene().getWindow() != null ? getScene().getWindow().getRenderScaleX() : 1;
        zoomAround(1 / rs, getWidth() / 2, getHeight() / 2);
    }

    /** Sets the zoom keeping the photo point under {@code (sx, sy)} (view coordinates) in place. */
    public void zoomAround(double newZoom, double sx, double sy) {
        newZoom = Math.max(0.02, Math.min(32, newZoom));
        double px = (sx - tx) / zoom.get(), py = (sy - ty) / zoom.get();
        setView(newZoom, sx - px * newZoom, sy - py * newZoom);
    }

    private void setView(double z, double ntx, double nty) {
        fitted = false;
        zoom.set(z);
        tx = ntx;
        ty = nty;
        scale.setX(z);
        scale.setY(z);
        content.setLayoutX(tx);
        content.setLayoutY(ty);
        photoView.setSmooth(z < 2);
    }

    public ReadOnlyDoubleProperty zoomProperty() {
        return zoom.getReadOnlyProperty();
    }

    /** Photo coordinates of a view point. */
    public Point2D toPhoto(double sx, double sy) {
        return new Point2D((sx - tx) / zoom.get(), (sy - ty) / zoom.get());
    }

    /** View coordinates of a photo point. */
    public Point2D toView(double px, double py) {
        return new Point2D(px * zoom.get() + tx, py * zoom.get() + ty);
    }

    @Override
    protected void layoutChildren() {
        clip.setWidth(getWidth());
        clip.setHeight(getHeight());
        if (fitPending && photo != null && getWidth() > 0 && getHeight() > 0) {
            fitPending = false;
            fit();
        } else if (fitted && photo != null && getWidth() > 0 && getHeight() > 0
                && (getWidth() != fittedW || getHeight() != fittedH)) {
            fit(); // the window was resized while the photo was fitted: keep it fitted
        }
    }

    @Override
    protected double computePrefWidth(double h) {
        return 800;
    }

    @Override
    protected double computePrefHeight(double w) {
        return 600;
    }

    // ---- input ---------------------------------------------------------------------------------------------

    public void setSpaceDown(boolean down) {
        spaceDown = down;
        if (!painting && !panning) {
            setCursor(down ? Cursor.OPEN_HAND : Cursor.NONE);
            cursor.setVisible(!down && photo != null && isHover());
        }
    }

    private void pressed(MouseEvent e) {
        requestFocus();
        if (photo == null) {
            return;
        }
        if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && spaceDown)) {
            panning = true;
            panStartX = e.getX();
            panStartY = e.getY();
            panStartTx = tx;
            panStartTy = ty;
            setCursor(Cursor.CLOSED_HAND);
            cursor.setVisible(false);
            e.consume();
            return;
        }
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        if (outline.isVisible()) { // extending the canvas: edges drag, nothing paints
            dragEdge = outlineEdgeAt(e.getX(), e.getY());
            e.consume();
            return;
        }
        if (viewedImage != null) {
            view(null); // painting goes on the photo: show it
        }
        painting = true;
        Point2D p = toPhoto(e.getX(), e.getY());
        boolean erase = tool.get() == Tool.ERASER;
        if (e.isShiftDown() && lastStrokeEnd != null) {
            paintSegment(lastStrokeEnd, p);
        } else {
            paint(mask.dab(p.getX(), p.getY(), radius(), hardness.get(), erase));
        }
        lastPoint = p;
        e.consume();
    }

    private void dragged(MouseEvent e) {
        moveCursor(e.getX(), e.getY());
        if (panning) {
            setView(zoom.get(), panStartTx + e.getX() - panStartX, panStartTy + e.getY() - panStartY);
            e.consume();
            return;
        }
        if (dragEdge >= 0 && outline.isVisible()) {
            dragOutline(e);
            e.consume();
            return;
        }
        if (!painting) {
            return;
        }
        Point2D p = toPhoto(e.getX(), e.getY());
        paintSegment(lastPoint, p);
        lastPoint = p;
        e.consume();
    }

    private void released(MouseEvent e) {
        if (dragEdge >= 0) {
            dragEdge = -1;
            e.consume();
            return;
        }
        if (panning) {
            panning = false;
            setCursor(spaceDown ? Cursor.OPEN_HAND : Cursor.NONE);
            cursor.setVisible(!spaceDown);
            e.consume();
            return;
        }
        if (painting) {
            painting = false;
            lastStrokeEnd = lastPoint;
            commitStroke(tool.get() == Tool.ERASER ? "eraser stroke" : "brush stroke");
            e.consume();
        }
    }

    /**
     * Paints a segment in pieces about one brush diameter long, so that the overlay redraws a few small rectangles
     * along a long diagonal flick instead of its whole bounding box.
     */
    private void paintSegment(Point2D a, Point2D b) {
        boolean erase = tool.get() == Tool.ERASER;
        double piece = Math.max(16, radius() * 2);
        int n = Math.max(1, (int) Math.ceil(a.distance(b) / piece));
        for (int i = 0; i < n; i++) {
            double t0 = (double) i / n, t1 = (double) (i + 1) / n;
            paint(mask.line(a.getX() + (b.getX() - a.getX()) * t0, a.getY() + (b.getY() - a.getY()) * t0,
                    a.getX() + (b.getX() - a.getX()) * t1, a.getY() + (b.getY() - a.getY()) * t1,
                    radius(), hardness.get(), erase, i > 0));
        }
    }

    private void paint(Rect dirty) {
        if (!dirty.isEmpty()) {
            overlay.update(dirty);
            recorder.touched(dirty);
        }
    }

    /** Applies a mask operation (clear, invert, grow, import, ...) as one undoable edit. */
    public void applyMaskOperation(String label, java.util.function.Supplier<Rect> op) {
        if (mask == null) {
            return;
        }
        Rect dirty = op.get();
        paint(dirty);
        commitStroke(label);
    }

    private void commitStroke(String label) {
        MaskEdit edit = recorder.finish(label);
        if (edit != null) {
            history.push(edit);
        }
    }

    private double radius() {
        return brushSize.get() / 2;
    }

    private void scrolled(ScrollEvent e) {
        if (photo == null || e.getDeltaY() == 0) {
            return;
        }
        // one notch (deltaY = multiplierY, 40 px on most systems) zooms by WHEEL_NOTCH_ZOOM; touchpads scroll finer
        double notches = e.getDeltaY() / (e.getMultiplierY() > 0 ? e.getMultiplierY() : 40);
        zoomAround(zoom.get() * Math.pow(WHEEL_NOTCH_ZOOM, notches), e.getX(), e.getY());
        moveCursor(e.getX(), e.getY());
        e.consume();
    }

    private void moveCursor(double x, double y) {
        cursor.setCenterX(x);
        cursor.setCenterY(y);
        cursorInner.setCenterX(x);
        cursorInner.setCenterY(y);
        if (!panning && !spaceDown && photo != null) {
            cursor.setVisible(true);
        }
    }

    private void updateCursorRadius() {
        double r = Math.max(2, radius() * zoom.get());
        cursor.setRadius(r);
        cursorInner.setRadius(r + 1);
    }

    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    public DoubleProperty brushSizeProperty() {
        return brushSize;
    }

    public DoubleProperty hardnessProperty() {
        return hardness;
    }

    public BooleanProperty overlayVisibleProperty() {
        return overlayVisible;
    }

    public ObjectProperty<Color> overlayColorProperty() {
        return overlayColor;
    }

    public BooleanProperty showOriginalProperty() {
        return showOriginal;
    }
}
