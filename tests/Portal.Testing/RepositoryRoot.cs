namespace Portal.Testing;

/// <summary>The checkout the tests run from: the nearest parent folder holding Portal.sln.</summary>
public static class RepositoryRoot
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Portal.sln"))) return dir.FullName;
            }

            throw new DirectoryNotFoundException("Portal.sln not found above the test's output folder.");
        }
    }
}
