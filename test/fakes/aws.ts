/** Mock answers for aws invokes and cloud-computed aws resource outputs. */
import type { InvokeHandler, StateHandler } from "../mocks";

/** A real CA certificate (openssl, authoring time) so the program's discovery hash can be computed under mocks. */
export const fakeCaCertPem = `-----BEGIN CERTIFICATE-----
MIIDCzCCAfOgAwIBAgIUFN6hXCjYXoWxr4bl6G2VHBftrxUwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjExMjIxNTM5MTRaFw0zNjEx
MTkxNTM5MTRaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQDWIodwgXvT55RmRQOQms1L0PavAvuDlk2vtvHIWD1R
51VuelIm/yJLrpzCJJMzMJ0/8Nzo0Q8wz8f5mZuFJZI0Y4VH5n67Ad41eYS3suF+
h79IbPNcMBwWMUXzwVHB5JcYg3jfxeJkvOC4iKdmcZFLFUPUKk0GJ+cU96xNOS2B
njdspBYIwf2ng5a23UNOHvrH6JsWkqi+86N5xPAEbYHB8nysZkhRrv3PZvoV4Ecb
/PyKsbCjlJI7+jxbT9nWZVqqDz9M+V9Gt3lNQPLykIics2spzyTMouWgr5ET9+Hv
OtHYMCJrnkfGPLHZVnFQj2pzJQZyfaBgUAvNoBSq6vfNAgMBAAGjUzBRMB0GA1Ud
DgQWBBQ3SnYT+sbhm7KP6v/5R02khiOSlDAfBgNVHSMEGDAWgBQ3SnYT+sbhm7KP
6v/5R02khiOSlDAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA4IBAQDK
YRdOWU6dklnRlBAwzQqZNN7JCOJB8gGxV9YfjcwFx6bA7S0eP7ODkcMQGfd/Bjol
V1pCP6NPh9bGpj9kVmyk/5IUjO3EldtMythNB7bNY3feOeuJzXm/17RfJD8Z1xvs
QGnab9HN47Y1XBHvgQiS9SpRk7zghUUf0/fzvzbtnZrrJHYtFrib4LvVlva15GKu
St5NZe5IfvNJS2OQOm0Fepit6cKo3ynfKJJAIKfmDxGjtY+s6VKYZLZtq6eJPItw
y8SXmLv73VE5wUcMs9c2rZemoOxo++vZOqGZeFz40M+nxIW/kGv1MyzMA3ISKRL5
GTeFXaGxpfk3m9NZ8Vo+
-----END CERTIFICATE-----
`;
/** `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | sha256sum` of fakeCaCertPem. */
export const fakeCaCertHash =
    "sha256:515ee4ee8f576ec3f44694a66e8a4bc591e082cf08bceefd687f9b448728e5c7";

/** Secret outputs of tls/random resources under mocks: searchable sentinels (none may reach user data). */
export const pkiSentinels = {
    privateKey: "SENTINEL-TLS-PRIVATE-KEY",
    tokenId: "snt1d0",
    tokenSecret: "sentinelsecret00",
    certificateKey: "5e7e1e15".repeat(8),
} as const;

export const fakeAmiId = "ami-0fa4e0000000c0ffe";

/** A stable fake public IP per resource name. */
function fakeIp(name: string): string {
    let h = 0;
    for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 250;
    return `198.51.100.${h + 1}`;
}

/**
 * The AWS account the fakes answer for. Its Elastic IP quota is raised to 10 (prod needs 6;
 * a fresh account has 5, which the preflight tests use) and it holds one Elastic IP of
 * someone else's.
 */
export const fakeAccount = {
    quotas: { "ec2/L-0263D0A3": { quotaName: "EC2-VPC Elastic IPs", value: 10, defaultValue: 5 } },
    eips: [
        { allocationId: "eipalloc-0other", publicIp: "198.51.100.200", tags: { team: "other" } },
    ],
} as const;

type FakeEip = { allocationId: string; publicIp: string; tags: Record<string, string> };

/**
 * aws:servicequotas/getServiceQuota for a quota table, in the result shape of
 * @pulumi/aws 7.48.0 servicequotas/getServiceQuota.d.ts; a quota not in the table fails.
 */
export function serviceQuotaAnswer(
    quotas: Readonly<Record<string, { quotaName: string; value: number; defaultValue: number }>>,
): InvokeHandler {
    return (inputs) => {
        const key = `${String(inputs.serviceCode)}/${String(inputs.quotaCode)}`;
        const q = quotas[key];
        if (!q || inputs.quotaName !== undefined)
            throw new Error(`fake getServiceQuota: no quota ${key} (by code only) in the table`);
        return {
            ...q,
            adjustable: true,
            arn: `arn:aws:servicequotas:eu-west-1:123456789012:${String(inputs.serviceCode)}/${String(inputs.quotaCode)}`,
            globalQuota: false,
            id: key,
            quotaCode: inputs.quotaCode,
            region: "eu-west-1",
            serviceCode: inputs.serviceCode,
            serviceName: "Amazon Elastic Compute Cloud (Amazon EC2)",
            usageMetrics: [],
        };
    };
}

/**
 * aws:ec2/getEips over a list of allocated addresses, in the result shape of @pulumi/aws
 * 7.48.0 ec2/getEips.d.ts: `tags` keeps the addresses carrying every given pair; `filters`
 * is not modelled and fails.
 */
export function eipsAnswer(eips: readonly FakeEip[]): InvokeHandler {
    return (inputs) => {
        if (inputs.filters !== undefined) throw new Error("fake getEips: filters are not modelled");
        const want = (inputs.tags ?? {}) as Record<string, string>;
        const hit = eips.filter((e) => Object.entries(want).every(([k, v]) => e.tags[k] === v));
        return {
            allocationIds: hit.map((e) => e.allocationId),
            publicIps: hit.map((e) => e.publicIp),
            id: "eu-west-1",
            region: "eu-west-1",
            ...(inputs.tags ? { tags: inputs.tags } : {}),
        };
    };
}

export const invokes: Record<string, InvokeHandler> = {
    "aws:servicequotas/getServiceQuota:getServiceQuota": serviceQuotaAnswer(fakeAccount.quotas),
    "aws:ec2/getEips:getEips": eipsAnswer(fakeAccount.eips),
    "aws:ssm/getParameter:getParameter": (inputs) => ({
        name: inputs.name,
        value: fakeAmiId,
        insecureValue: fakeAmiId,
        type: "String",
        arn: `arn:aws:ssm:eu-west-1::parameter${String(inputs.name)}`,
        version: 1,
        withDecryption: true,
        id: String(inputs.name),
    }),
};

export const states: Record<string, StateHandler> = {
    // Longhorn backup store: autonamed bucket and IAM user, the access key's secret.
    "aws:s3/bucket:Bucket": (name, inputs) => {
        const bucket =
            (inputs.bucket as string | undefined) ??
            `${(inputs.bucketPrefix as string | undefined) ?? `${name}-`}fake1234`;
        return { bucket, arn: `arn:aws:s3:::${bucket}` };
    },
    "aws:iam/user:User": (name, inputs) => {
        const user = (inputs.name as string | undefined) ?? `${name}-fake1234`;
        return { name: user, arn: `arn:aws:iam::123456789012:user/${user}` };
    },
    "aws:iam/accessKey:AccessKey": () => ({ secret: "FAKE-AWS-SECRET-ACCESS-KEY" }),
    // AWS kubeadm cluster.
    "aws:lb/loadBalancer:LoadBalancer": (name) => ({
        dnsName: `${name}-0123456789abcdef.elb.eu-west-1.amazonaws.com`,
        arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/${name}/0123456789abcdef`,
    }),
    "aws:lb/targetGroup:TargetGroup": (name) => ({
        arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/${name}/0123456789abcdef`,
    }),
    "aws:ec2/eip:Eip": (name) => ({ publicIp: fakeIp(name), allocationId: `eipalloc-${name}` }),
    "aws:ec2/natGateway:NatGateway": (name) => ({ publicIp: fakeIp(name) }),
    "aws:ssm/parameter:Parameter": (_name, inputs) => ({
        arn: `arn:aws:ssm:eu-west-1:123456789012:parameter${String(inputs.name)}`,
    }),
    "aws:iam/role:Role": (name) => ({
        name: `${name}-fake1234`,
        arn: `arn:aws:iam::123456789012:role/${name}-fake1234`,
    }),
    "aws:iam/instanceProfile:InstanceProfile": (name) => ({
        name: `${name}-fake1234`,
        arn: `arn:aws:iam::123456789012:instance-profile/${name}-fake1234`,
    }),
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1 }),
    "aws:autoscaling/group:Group": (name) => ({ name: `${name}-fake1234` }),
    "tls:index/privateKey:PrivateKey": (name) => ({
        privateKeyPem: `-----BEGIN RSA PRIVATE KEY-----\n${pkiSentinels.privateKey}-${name}\n-----END RSA PRIVATE KEY-----\n`,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nfake-public-${name}\n-----END PUBLIC KEY-----\n`,
    }),
    "tls:index/selfSignedCert:SelfSignedCert": () => ({ certPem: fakeCaCertPem }),
    "tls:index/certRequest:CertRequest": (name) => ({ certRequestPem: `fake-csr-${name}` }),
    "tls:index/locallySignedCert:LocallySignedCert": (name) => ({
        certPem: `-----BEGIN CERTIFICATE-----\nfake-${name}\n-----END CERTIFICATE-----\n`,
    }),
    "random:index/randomString:RandomString": (name) => ({
        result: name.endsWith("token-id") ? pkiSentinels.tokenId : "abcd1234",
    }),
    "random:index/randomPassword:RandomPassword": () => ({ result: pkiSentinels.tokenSecret }),
    "random:index/randomBytes:RandomBytes": () => ({ hex: pkiSentinels.certificateKey }),
};
