/** Mock answers for gcp invokes and cloud-computed gcp resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

export const states: Record<string, StateHandler> = {};
