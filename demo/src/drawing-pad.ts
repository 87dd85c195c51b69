/**
 * A square drawing surface: dark round strokes on a light background, drawn with Pointer
 * Events (mouse, touch, pen). Strokes are smoothed with quadratic curves through the midpoints
 * of the sampled points, and coalesced events are used so fast strokes stay round.
 */
export interface DrawingPadEvents {
  /** The picture changed (called at most once per pointer event). */
  onInk(): void;
  /** A stroke ended. */
  onStrokeEnd(): void;
}

const INK = '#14181f';
const PAPER = '#ffffff';
/** Stroke width as a fraction of the pad's side: about MNIST's pen relative to its digits. */
const STROKE = 0.065;

interface Point {
  x: number;
  y: number;
}

export class DrawingPad {
  private readonly context: CanvasRenderingContext2D;
  private activePointer: number | null = null;
  private last: Point | null = null;
  private lastMid: Point | null = null;
  private inked = false;

  constructor(
    readonly canvas: HTMLCanvasElement,
    private readonly events: DrawingPadEvents,
  ) {
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('This browser has no 2D canvas');
    this.context = context;
    this.resize();
    canvas.addEventListener('pointerdown', (event) => {
      this.down(event);
    });
    canvas.addEventListener('pointermove', (event) => {
      this.move(event);
    });
    canvas.addEventListener('pointerup', (event) => {
      this.up(event);
    });
    canvas.addEventListener('pointercancel', (event) => {
      this.up(event);
    });
    canvas.addEventListener('lostpointercapture', (event) => {
      this.up(event);
    });
  }

  /** True once anything has been drawn since the last clear. */
  get hasInk(): boolean {
    return this.inked;
  }

  /**
   * Fixes the backing store's resolution: the pad's CSS size times the device pixel ratio
   * (capped at 2: more pixels make predictions slower, not better). Clears the pad.
   */
  resize(): void {
    const side = Math.max(1, Math.round(this.canvas.getBoundingClientRect().width || 280));
    const ratio = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    this.canvas.width = Math.round(side * ratio);
    this.canvas.height = Math.round(side * ratio);
    this.clear();
  }

  clear(): void {
    const { context, canvas } = this;
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = PAPER;
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.strokeStyle = INK;
    context.fillStyle = INK;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.lineWidth = canvas.width * STROKE;
    this.inked = false;
    this.last = null;
    this.lastMid = null;
  }

  private toCanvas(event: PointerEvent): Point {
    const box = this.canvas.getBoundingClientRect();
    return {
      x: ((event.clientX - box.left) / box.width) * this.canvas.width,
      y: ((event.clientY - box.top) / box.height) * this.canvas.height,
    };
  }

  private down(event: PointerEvent): void {
    if (this.activePointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    this.activePointer = event.pointerId;
    try {
      // Keeps the stroke going when the pen leaves the pad; synthetic events have no pointer to capture.
      this.canvas.setPointerCapture(event.pointerId);
    } catch {
      /* drawing works without capture */
    }
    const point = this.toCanvas(event);
    this.last = point;
    this.lastMid = point;
    // A tap leaves a dot, as a pen would.
    this.context.beginPath();
    this.context.arc(point.x, point.y, this.context.lineWidth / 2, 0, Math.PI * 2);
    this.context.fill();
    this.inked = true;
    this.events.onInk();
  }

  private move(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    const samples = typeof event.getCoalescedEvents === 'function' ? event.getCoalescedEvents() : [];
    for (const sample of samples.length > 0 ? samples : [event]) this.extend(this.toCanvas(sample));
    this.events.onInk();
  }

  private extend(point: Point): void {
    const { last, lastMid, context } = this;
    if (!last || !lastMid) return;
    const mid = { x: (last.x + point.x) / 2, y: (last.y + point.y) / 2 };
    context.beginPath();
    context.moveTo(lastMid.x, lastMid.y);
    context.quadraticCurveTo(last.x, last.y, mid.x, mid.y);
    context.stroke();
    this.last = point;
    this.lastMid = mid;
  }

  private up(event: PointerEvent): void {
    if (event.pointerId !== this.activePointer) return;
    this.activePointer = null;
    const { last, lastMid, context } = this;
    if (last && lastMid) {
      // Finish the curve at the last sampled point.
      context.beginPath();
      context.moveTo(lastMid.x, lastMid.y);
      context.lineTo(last.x, last.y);
      context.stroke();
    }
    this.last = null;
    this.lastMid = null;
    this.events.onInk();
    this.events.onStrokeEnd();
  }
}
