// Mocha's spec output plus one closing line in the plain "N passed, N failed"
// form, so CI logs state the count in a runner-neutral way.
"use strict";
const Mocha = require("mocha");

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once("end", () => {
            const s = this.stats;
            const skipped = s.pending ? `, ${s.pending} skipped` : "";
            process.stdout.write(`tests: ${s.passes} passed, ${s.failures} failed${skipped}\n`);
        });
    }
}

module.exports = SpecWithSummary;
