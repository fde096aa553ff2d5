/**
 * AWS kubeadm config: defaults, and one clear error (naming the key) per kind
 * of bad input: CIDRs, zones, instance types, admin ranges, AMI pins.
 */
import * as assert from "assert";
import { parseConfig } from "../config";
import { rejectsKey } from "./config-helpers";

function aws(
    over: Record<string, unknown> = {},
    top: Record<string, unknown> = {},
): Record<string, unknown> {
    return {
        cluster: {
            provider: "aws",
            name: "iris-dev",
            nodePool: { machineType: "m6i.xlarge" },
            ...top,
            aws: {
                region: "eu-west-1",
                availabilityZones: ["eu-west-1a", "eu-west-1b"],
                adminCidrs: ["203.0.113.0/24"],
                ...over,
            },
        },
    };
}

describe("config: AWS cluster", function () {
    it("defaults to one control-plane node, one NAT gateway and kubeadm's usual pod/service ranges", function () {
        const c = parseConfig(aws()).cluster;
        assert.strictEqual(c.provider, "aws");
        if (c.provider !== "aws") return;
        assert.strictEqual(c.aws.controlPlane.count, 1);
        assert.strictEqual(c.aws.natGateways, "single");
        assert.strictEqual(c.aws.vpcCidr, "10.0.0.0/16");
        assert.strictEqual(c.aws.podCidr, "192.168.0.0/16");
        assert.strictEqual(c.aws.serviceCidr, "10.96.0.0/12");
        assert.strictEqual(c.aws.amiId, undefined);
    });

    it("rejects a malformed CIDR", function () {
        rejectsKey(aws({ vpcCidr: "10.0.0/16" }), "cluster.aws.vpcCidr", /IPv4 CIDR/);
    });
    it("rejects a CIDR with host bits set", function () {
        rejectsKey(
            aws({ podCidr: "192.168.1.0/16" }),
            "cluster.aws.podCidr",
            /host bits.*\(got "192\.168\.1\.0\/16"\)/,
        );
    });
    it("rejects overlapping VPC, pod and service ranges", function () {
        rejectsKey(
            aws({ podCidr: "10.0.128.0/17" }),
            "cluster.aws.podCidr",
            /overlaps vpcCidr \(10\.0\.0\.0\/16\)/,
        );
        rejectsKey(
            aws({ serviceCidr: "192.168.0.0/20" }),
            "cluster.aws.serviceCidr",
            /overlaps podCidr/,
        );
    });
    it("rejects a VPC too large or too small for the subnet plan", function () {
        rejectsKey(aws({ vpcCidr: "10.0.0.0/12" }), "cluster.aws.vpcCidr", /\/16 to \/24/);
        rejectsKey(aws({ vpcCidr: "10.0.0.0/26" }), "cluster.aws.vpcCidr", /\/16 to \/24/);
    });
    it("needs 2 or 3 distinct zones of the region", function () {
        rejectsKey(
            aws({ availabilityZones: ["eu-west-1a"] }),
            "cluster.aws.availabilityZones",
            /needs 2 or 3 zones/,
        );
        rejectsKey(
            aws({ availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"] }),
            "cluster.aws.availabilityZones",
            /needs 2 or 3 zones/,
        );
        rejectsKey(
            aws({ availabilityZones: ["eu-west-1a", "eu-west-1a"] }),
            "cluster.aws.availabilityZones",
            /must not repeat/,
        );
        rejectsKey(
            aws({ availabilityZones: ["eu-west-1a", "us-east-1b"] }),
            "cluster.aws.availabilityZones[1]",
            /not a zone of region eu-west-1/,
        );
    });
    it("requires the workers' instance type and checks both instance types' shape", function () {
        rejectsKey(
            aws({}, { nodePool: {} }),
            "cluster.nodePool.machineType",
            /is required for AWS/,
        );
        rejectsKey(
            aws({}, { nodePool: { machineType: "Standard_D4s_v5" } }),
            "cluster.nodePool.machineType",
            /EC2 instance type/,
        );
        rejectsKey(
            aws({ controlPlane: { instanceType: "" } }),
            "cluster.aws.controlPlane.instanceType",
            /EC2 instance type/,
        );
    });
    it("accepts only 1 or 3 control-plane nodes", function () {
        rejectsKey(
            aws({ controlPlane: { count: 2 } }),
            "cluster.aws.controlPlane.count",
            /1 \(dev\) or 3 \(HA\)/,
        );
    });
    it("needs admin CIDRs, and never the whole internet", function () {
        rejectsKey(aws({ adminCidrs: [] }), "cluster.aws.adminCidrs", /at least one CIDR/);
        rejectsKey(
            aws({ adminCidrs: ["0.0.0.0/0"] }),
            "cluster.aws.adminCidrs[0]",
            /whole internet/,
        );
    });
    it("checks a pinned AMI id", function () {
        rejectsKey(aws({ amiId: "ubuntu-24.04" }), "cluster.aws.amiId", /AMI id/);
        const c = parseConfig(aws({ amiId: "ami-0123456789abcdef0" })).cluster;
        assert.strictEqual(c.provider === "aws" && c.aws.amiId, "ami-0123456789abcdef0");
    });
});
