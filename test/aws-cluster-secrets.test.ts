/**
 * The AwsCluster component under mocks: secrets kept out of user data, in secret
 * SecureStrings, and IAM scoped to what each node role reads.
 */
import * as assert from "assert";
import { isSecretValue, type RecordedResource, type Recording } from "./mocks";
import { fakeCaCertHash, pkiSentinels } from "./fakes/aws";
import { buildDevAndHa, T, userDataOf } from "./aws-cluster-fixtures";

describe("AWS cluster (mocks): secrets and IAM", function () {
    let ha: Recording;
    before(async function () {
        ({ ha } = await buildDevAndHa());
    });

    it("keeps the token, certificate key and private keys out of user data", function () {
        const token = `${pkiSentinels.tokenId}.${pkiSentinels.tokenSecret}`;
        for (const ud of userDataOf(ha)) {
            for (const secret of [
                token,
                pkiSentinels.tokenSecret,
                pkiSentinels.certificateKey,
                pkiSentinels.privateKey,
                "PRIVATE KEY",
            ]) {
                assert.ok(!ud.includes(secret), `user data contains ${secret}`);
            }
            assert.ok(ud.includes(fakeCaCertHash), "joins pin the CA hash computed in the program");
            assert.ok(ud.includes("/iris-platform/iris-t"));
        }
    });

    it("stores keys, token and certificate key as secret SecureStrings under the cluster's path", function () {
        // Ten PKI/bootstrap parameters plus the (public) Kubernetes minor pin.
        const params = ha.ofType(T.param).filter((p) => p.name !== "c-kubernetes-minor");
        assert.strictEqual(params.length, 10);
        for (const p of params) {
            assert.ok(
                String(p.inputs.name).startsWith("/iris-platform/iris-t/"),
                String(p.inputs.name),
            );
            const secret = /\.key$|token|certificate-key/.test(String(p.inputs.name));
            assert.strictEqual(
                p.inputs.type,
                secret ? "SecureString" : "String",
                String(p.inputs.name),
            );
            if (secret)
                assert.ok(
                    isSecretValue(p.rawInputs.value),
                    `${String(p.inputs.name)} value is not a Pulumi secret`,
                );
        }
        const token = params.find(
            (p) => p.inputs.name === "/iris-platform/iris-t/join/token",
        ) as RecordedResource;
        assert.strictEqual(
            token.inputs.value,
            `${pkiSentinels.tokenId}.${pkiSentinels.tokenSecret}`,
        );
        assert.strictEqual(
            ha.get("random:index/randomBytes:RandomBytes", "c-certificate-key").inputs.length,
            32,
        );
        const tokenParts: [string, string][] = [
            ["random:index/randomString:RandomString", "c-token-id"],
            ["random:index/randomPassword:RandomPassword", "c-token-secret"],
        ];
        for (const [type, n] of tokenParts) {
            const s = ha.get(type, n).inputs;
            assert.deepStrictEqual(
                [s.upper, s.special, s.lower, s.numeric],
                [false, false, true, true],
            );
        }
        // RandomString/RandomId keep their value in the resource id (plain text in the state): secret parts must not use them.
        assert.strictEqual(ha.ofType("random:index/randomId:RandomId").length, 0);
        assert.deepStrictEqual(
            ha.ofType("random:index/randomString:RandomString").map((r) => r.name),
            ["c-token-id"],
        );
    });

    it("lets workers read only the token, and the control plane only its own parameters", function () {
        type Doc = {
            Statement: {
                Sid: string;
                Action: string[];
                Resource: string | string[];
                Condition?: unknown;
            }[];
        };
        const doc = (n: string) => JSON.parse(ha.get(T.policy, n).inputs.policy as string) as Doc;
        const ssmResources = (d: Doc) =>
            d.Statement.filter((s) => s.Action.some((a) => a.startsWith("ssm:"))).flatMap((s) =>
                [s.Resource].flat(),
            );
        assert.deepStrictEqual(ssmResources(doc("c-worker-policy")), [
            "arn:aws:ssm:eu-west-1:123456789012:parameter/iris-platform/iris-t/join/token",
        ]);
        const cp = ssmResources(doc("c-cp-policy"));
        assert.strictEqual(cp.length, 10);
        assert.ok(cp.every((arn) => arn.includes(":parameter/iris-platform/iris-t/")));
        const scale = doc("c-cp-policy").Statement.find((s) =>
            s.Action.includes("autoscaling:SetDesiredCapacity"),
        );
        assert.deepStrictEqual(scale?.Condition, {
            StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/iris-t": "owned" },
        });
        assert.ok(
            !doc("c-worker-policy").Statement.some((s) =>
                s.Action.some(
                    (a) => a.startsWith("autoscaling:") || a.startsWith("elasticloadbalancing:"),
                ),
            ),
        );
        const attachments = ha
            .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
            .map((a) => a.inputs.policyArn);
        assert.deepStrictEqual(attachments, [
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
            "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
        ]);
    });
});
