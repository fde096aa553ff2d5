/** Entry point: the stack outputs of the whole program (see program.ts). */
import { program } from "./program";

export = program();
