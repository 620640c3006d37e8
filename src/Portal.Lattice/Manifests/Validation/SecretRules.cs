namespace Portal.Lattice.Manifests;

/// <summary>Every secret must name a secret policy of <c>spec.policies</c> that has a backend.</summary>
internal static class SecretRules
{
    public static void Check(Manifest manifest, DiagnosticSink sink)
    {
        for (var i = 0; i < manifest.Components.Count; i++)
        {
            var component = manifest.Components[i];
            var path = ManifestPath.Item("spec.components", i);
            CheckAll(manifest, component.Properties.Secrets, path + ".properties.secrets", sink);
            for (var t = 0; t < component.Traits.Count; t++)
            {
                if (component.Traits[t] is LinkTrait link)
                {
                    var linkPath = ManifestPath.Item(path + ".traits", t) + ".properties";
                    CheckAll(manifest, link.Properties.Target.Secrets, linkPath + ".target.secrets", sink);
                    CheckAll(manifest, link.Properties.SourceSecrets, linkPath + ".source.secrets", sink);
                }
            }
        }
    }

    private static void CheckAll(Manifest manifest, ValueList<SecretProperty> secrets, string listPath, DiagnosticSink sink)
    {
        for (var s = 0; s < secrets.Count; s++)
        {
            var secret = secrets[s];
            var policyPath = ManifestPath.Item(listPath, s) + ".properties.policy";
            var policy = manifest.Spec.Policies.FirstOrDefault(p => p.Name == secret.Properties.Policy);
            if (policy is null)
            {
                sink.Error(policyPath, $"secret `{secret.Name}` uses policy `{secret.Properties.Policy}`, which spec.policies does not define");
            }
            else if (policy.Type != ManifestPolicy.SecretPolicyType)
            {
                sink.Error(policyPath, $"secret `{secret.Name}` uses policy `{policy.Name}` of type `{policy.Type}`; a secret needs a policy of type `{ManifestPolicy.SecretPolicyType}`");
            }
            else if (!policy.Properties.ContainsKey("backend"))
            {
                sink.Error(policyPath, $"secret `{secret.Name}` uses policy `{policy.Name}`, which has no `backend` property");
            }
        }
    }
}
