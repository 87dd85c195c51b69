/**
 * Watches the GPU device onnxruntime-web runs on, so a lost device (driver reset, tab in the
 * background too long, or destroy()) is noticed and the model moves to WASM instead of failing.
 */
import type { Ort } from './ort-loader.js';

export interface DeviceWatch {
  /** Why the device was lost, once it has been. */
  readonly lost: string | null;
  /** Waits briefly for a loss to be reported (it is async), then returns it or null. */
  settle(): Promise<string | null>;
  /** Destroys the device (fault injection), recording the loss at once. */
  destroy(): void;
}

/**
 * How long a failed run waits for device.lost to resolve before treating the failure as an
 * ordinary error. Only failed runs pay it, and a busy event loop can delay the report.
 */
const LOSS_REPORT_GRACE_MS = 2000;

export async function watchDeviceLoss(ort: Ort): Promise<DeviceWatch | null> {
  let device: GPUDevice;
  try {
    device = await ort.env.webgpu.device;
  } catch {
    return null;
  }
  let lost: string | null = null;
  const lostPromise = device.lost.then((info) => {
    lost = info.message || info.reason || 'device lost';
    return lost;
  });
  return {
    get lost() {
      return lost;
    },
    destroy() {
      lost ??= 'the device was destroyed';
      device.destroy();
    },
    settle: () =>
      Promise.race([
        lostPromise,
        new Promise<null>((resolve) =>
          setTimeout(() => {
            resolve(null);
          }, LOSS_REPORT_GRACE_MS),
        ),
      ]),
  };
}
