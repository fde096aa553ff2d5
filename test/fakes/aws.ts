/** Mock answers for aws invokes and cloud-computed aws resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

export const invokes: Record<string, InvokeHandler> = {};

export const states: Record<string, StateHandler> = {};
