/** Mock answers for azure invokes and cloud-computed azure resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

export const states: Record<string, StateHandler> = {};
