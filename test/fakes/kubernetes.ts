/** Mock answers for kubernetes invokes and cloud-computed kubernetes resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

export const states: Record<string, StateHandler> = {};
