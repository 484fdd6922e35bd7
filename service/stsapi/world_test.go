package stsapi_test

// stsWorld is the scenario of the STS tests: two accounts, users with
// fixed keys, and roles with the trust policies the tests need.
const stsWorld = `
accounts:
  - id: "111111111111"
    users:
      - name: alice
        access_keys: [{id: AKIAALICE00000000001, secret: alice-secret}]
        policies:
          assume: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity", "sts:GetFederationToken"], Resource: "*"}]}
          s3: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]}
      - name: bob
        path: /eng/
        access_keys: [{id: AKIABOB0000000000001, secret: bob-secret}]
      - name: carol
        access_keys: [{id: AKIACAROL00000000001, secret: carol-secret}]
        policies:
          fed: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "sts:GetFederationToken", Resource: "arn:aws:sts::111111111111:federated-user/ok-*"}]}
    roles:
      - name: app
        path: /svc/
        max_session_duration: 7200
        trust:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::111111111111:user/eng/bob"}
              Action: ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
            - Effect: Allow
              Principal: {AWS: "111111111111"}
              Action: "sts:AssumeRole"
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::111111111111:role/svc/app"}
              Action: ["sts:AssumeRole", "sts:TagSession"]
        attached: [AmazonS3FullAccess]
        policies:
          iam: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "iam:ListUsers", Resource: "*", Condition: {StringEquals: {"aws:PrincipalTag/team": blue}}}, {Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}]}
      - name: denied
        trust: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"},{"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:user/alice"},"Action":"sts:AssumeRole"}]}'
      - name: only-bob
        trust: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:user/eng/bob"},"Action":"sts:AssumeRole"}]}'
  - id: "222222222222"
    users:
      - name: dave
        access_keys: [{id: AKIADAVE000000000001, secret: dave-secret}]
    roles:
      - name: partner
        trust:
          Version: "2012-10-17"
          Statement:
            - Effect: Allow
              Principal: {AWS: "arn:aws:iam::111111111111:root"}
              Action: "sts:AssumeRole"
              Condition: {StringEquals: {"sts:ExternalId": "ext-123"}}
        attached: [AmazonS3ReadOnlyAccess]
      - name: open
        trust: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"sts:AssumeRole"}]}'
`

var (
	alice = creds{"AKIAALICE00000000001", "alice-secret", ""}
	bob   = creds{"AKIABOB0000000000001", "bob-secret", ""}
	carol = creds{"AKIACAROL00000000001", "carol-secret", ""}
	dave  = creds{"AKIADAVE000000000001", "dave-secret", ""}
)
