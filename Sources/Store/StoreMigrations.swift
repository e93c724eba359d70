import GRDB

/// The schema, as an ordered list of migrations; a released migration is never edited, only followed.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: projects, images, annotations, training, tokens") { db in
            try db.execute(
                sql: """
                    CREATE TABLE project (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        task TEXT NOT NULL CHECK (task IN ('detection', 'instance', 'semantic')),
                        createdAt DATETIME NOT NULL
                    );
                    CREATE TABLE labelClass (
                        projectId INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        "index" INTEGER NOT NULL CHECK ("index" >= 0),
                        name TEXT NOT NULL COLLATE NOCASE,
                        colour TEXT NOT NULL,
                        PRIMARY KEY (projectId, "index"),
                        UNIQUE (projectId, name)
                    );
                    CREATE TABLE image (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        projectId INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        fileName TEXT NOT NULL,
                        originalName TEXT NOT NULL,
                        width INTEGER NOT NULL CHECK (width > 0),
                        height INTEGER NOT NULL CHECK (height > 0),
                        status TEXT NOT NULL CHECK (status IN ('unlabelled', 'labelled', 'skipped')),
                        addedAt DATETIME NOT NULL,
                        UNIQUE (projectId, fileName)
                    );
                    CREATE INDEX image_by_status ON image(projectId, status, id);
                    CREATE TABLE annotation (
                        imageId INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
                        objects TEXT NOT NULL,
                        source TEXT NOT NULL,
                        updatedBy TEXT NOT NULL,
                        updatedAt DATETIME NOT NULL
                    );
                    CREATE TABLE annotationHistory (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        imageId INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                        objects TEXT NOT NULL,
                        source TEXT NOT NULL,
                        who TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX annotationHistory_by_image ON annotationHistory(imageId, id);
                    CREATE TABLE openedPrediction (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        imageId INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                        prediction TEXT,
                        modelStep INTEGER,
                        openedBy TEXT NOT NULL,
                        openedAt DATETIME NOT NULL
                    );
                    CREATE INDEX openedPrediction_by_image ON openedPrediction(imageId, id);
                    CREATE TABLE liveEvaluation (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        imageId INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                        openedPredictionId INTEGER NOT NULL UNIQUE REFERENCES openedPrediction(id) ON DELETE CASCADE,
                        ap REAL NOT NULL,
                        ap50 REAL NOT NULL,
                        emaAfter REAL NOT NULL,
                        ema50After REAL NOT NULL,
                        at DATETIME NOT NULL
                    );
                    CREATE TABLE checkpoint (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        projectId INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        step INTEGER NOT NULL,
                        path TEXT NOT NULL,
                        createdAt DATETIME NOT NULL
                    );
                    CREATE TABLE apiToken (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL,
                        hash TEXT NOT NULL UNIQUE,
                        isAdmin BOOLEAN NOT NULL,
                        createdAt DATETIME NOT NULL,
                        revokedAt DATETIME
                    );
                    """)
        }
        migrator.registerMigration("v2: semantic label maps") { db in
            try db.execute(sql: "ALTER TABLE annotation ADD COLUMN labels TEXT")
            try db.execute(sql: "ALTER TABLE annotationHistory ADD COLUMN labels TEXT")
        }
        migrator.registerMigration("v3: annotation versions") { db in
            // An image's version is the count of its history entries (saves and deletions).
            try db.execute(sql: "ALTER TABLE annotation ADD COLUMN version INTEGER NOT NULL DEFAULT 0")
            try db.execute(
                sql: "UPDATE annotation SET version = (SELECT COUNT(*) FROM annotationHistory h WHERE h.imageId = annotation.imageId)")
        }
        migrator.registerMigration("v4: live evaluation of hidden pre-labels") { db in
            // Every opened prediction is kept, shown or not: the live metric that unlocks pre-labels is
            // scored while they are hidden, and rebuilt from these rows after a restart.
            try db.execute(sql: "ALTER TABLE openedPrediction ADD COLUMN shown BOOLEAN NOT NULL DEFAULT 1")
            try db.execute(sql: "UPDATE openedPrediction SET shown = (prediction IS NOT NULL)")
            try db.execute(sql: "ALTER TABLE liveEvaluation ADD COLUMN perClass TEXT")
        }
        migrator.registerMigration("v5: live metric columns named for what they hold") { db in
            // `ap`/`ap50` held mIoU and foreground mIoU for semantic projects; the values are the task's
            // primary and secondary numbers (`VisionTask.metric`). Renaming keeps every stored row.
            // "primary" is an SQL keyword, so it is quoted wherever it is named.
            for (old, new) in [("ap", "primary"), ("ap50", "secondary"), ("emaAfter", "primaryEMA"), ("ema50After", "secondaryEMA")] {
                try db.execute(sql: "ALTER TABLE liveEvaluation RENAME COLUMN \(old) TO \"\(new)\"")
            }
        }
        migrator.registerMigration("v6: image leases, review and annotation time") { db in
            // One lease per image: the primary key is what makes two annotators asking at once get
            // different images, whatever the order their transactions run in.
            try db.execute(
                sql: """
                    CREATE TABLE imageLease (
                        imageId INTEGER PRIMARY KEY REFERENCES image(id) ON DELETE CASCADE,
                        projectId INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL CHECK (kind IN ('annotate', 'review')),
                        holder TEXT NOT NULL,
                        holderName TEXT NOT NULL,
                        expiresAt DATETIME NOT NULL
                    );
                    CREATE INDEX imageLease_by_holder ON imageLease(projectId, holder, kind);
                    ALTER TABLE annotationHistory ADD COLUMN annotator TEXT;
                    ALTER TABLE annotationHistory ADD COLUMN activeSeconds REAL;
                    ALTER TABLE annotation ADD COLUMN assignee TEXT;
                    ALTER TABLE annotation ADD COLUMN reviewState TEXT
                        CHECK (reviewState IN ('pending', 'accepted', 'returned'));
                    ALTER TABLE annotation ADD COLUMN reviewComment TEXT;
                    ALTER TABLE annotation ADD COLUMN reviewedBy TEXT;
                    CREATE INDEX annotation_by_review ON annotation(reviewState, assignee, updatedAt);
                    CREATE TABLE review (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        imageId INTEGER NOT NULL REFERENCES image(id) ON DELETE CASCADE,
                        version INTEGER NOT NULL,
                        decision TEXT NOT NULL CHECK (decision IN ('accept', 'return')),
                        comment TEXT NOT NULL,
                        reviewer TEXT NOT NULL,
                        reviewerName TEXT NOT NULL,
                        at DATETIME NOT NULL
                    );
                    CREATE INDEX review_by_image ON review(imageId, id);
                    """)
            // Labels people made before reviews existed wait for one; imported labels do not.
            try db.execute(sql: "UPDATE annotation SET reviewState = 'pending' WHERE source <> 'imported'")
        }
        migrator.registerMigration("v7: accounts, sessions and project members") { db in
            try db.execute(
                sql: """
                    CREATE TABLE account (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        passwordHash TEXT,
                        isAdmin BOOLEAN NOT NULL,
                        createdAt DATETIME NOT NULL
                    );
                    CREATE TABLE session (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        accountId INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        hash TEXT NOT NULL UNIQUE,
                        csrfToken TEXT NOT NULL,
                        createdAt DATETIME NOT NULL,
                        expiresAt DATETIME NOT NULL
                    );
                    CREATE TABLE projectMember (
                        projectId INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
                        accountId INTEGER NOT NULL REFERENCES account(id) ON DELETE CASCADE,
                        role TEXT NOT NULL CHECK (role IN ('owner', 'annotator', 'reviewer')),
                        PRIMARY KEY (projectId, accountId)
                    );
                    CREATE INDEX projectMember_by_account ON projectMember(accountId, projectId);
                    ALTER TABLE apiToken ADD COLUMN accountId INTEGER REFERENCES account(id) ON DELETE CASCADE;
                    """)
            try LegacyTokens.giveAccounts(db)
        }
        migrator.registerMigration("v8: disabled accounts") { db in
            try db.execute(sql: "ALTER TABLE account ADD COLUMN disabledAt DATETIME")
        }
        return migrator
    }
}
