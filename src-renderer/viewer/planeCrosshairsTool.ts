/**
 * Cornerstone's crosshairs, minus one reaction: when any viewport's camera
 * is reset, the stock tool resets every linked viewport to the volume's
 * centre. Cornerstone resets a camera (and restores it at once) whenever
 * actors are added to a viewport, which the label overlay does each time a
 * plane comes back from the 1x1 layout: every plane jumped to its middle
 * slice. The viewer never asks for a reset, so here a reset moves nothing;
 * the crosshairs follow the cameras through their camera-modified events.
 */
import { CrosshairsTool } from '@cornerstonejs/tools';

export class PlaneCrosshairsTool extends CrosshairsTool {
  static override toolName = 'MaclPlaneCrosshairs';

  override onResetCamera = (): void => {
    // Deliberately nothing: see the module comment.
  };
}
