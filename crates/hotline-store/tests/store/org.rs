//! Sites, departments, teams, people, skills, queues: CRUD, validation, conflicts,
//! not-found and referential integrity.

use hotline_store::*;

use crate::fixtures::*;

fn new_madrid() -> NewSite {
    NewSite {
        name: "Madrid".into(),
        time_zone: "Europe/Madrid".into(),
    }
}

both!(
    async fn sites_crud(db) {
        let store = db.connect().await;
        let madrid = store.create_site(&new_madrid()).await.unwrap();
        let shanghai = store
            .create_site(&NewSite { name: "上海".into(), time_zone: "Asia/Shanghai".into() })
            .await
            .unwrap();
        assert!(shanghai.id > madrid.id);
        assert_eq!(store.get_site(madrid.id).await.unwrap(), madrid);
        assert_eq!(store.list_sites().await.unwrap(), vec![madrid.clone(), shanghai.clone()]);

        let renamed = store
            .update_site(madrid.id, &NewSite { name: "Madrid Norte".into(), time_zone: "Europe/Madrid".into() })
            .await
            .unwrap();
        assert_eq!(renamed.name, "Madrid Norte");
        assert_eq!(store.get_site(madrid.id).await.unwrap(), renamed);

        assert_conflict(store.create_site(&NewSite { name: "上海".into(), time_zone: "UTC".into() }).await, "上海");
        assert_conflict(
            store.update_site(madrid.id, &NewSite { name: "上海".into(), time_zone: "UTC".into() }).await,
            "already exists",
        );
        assert_invalid(store.create_site(&NewSite { name: "X".into(), time_zone: "Mars/Base".into() }).await, "time_zone");
        assert_invalid(store.create_site(&NewSite { name: " X".into(), time_zone: "UTC".into() }).await, "name");
        assert_invalid(store.create_site(&NewSite { name: "".into(), time_zone: "UTC".into() }).await, "name");

        assert_not_found(store.get_site(SiteId(999)).await, "site", "999");
        assert_not_found(store.update_site(SiteId(999), &new_madrid()).await, "site", "999");
        assert_not_found(store.delete_site(SiteId(999)).await, "site", "999");

        store.delete_site(shanghai.id).await.unwrap();
        assert_not_found(store.get_site(shanghai.id).await, "site", &shanghai.id.to_string());
        assert_eq!(store.list_sites().await.unwrap(), vec![renamed]);
        // Ids are never reused, not even the highest one after its delete.
        let again = store.create_site(&NewSite { name: "上海".into(), time_zone: "Asia/Shanghai".into() }).await.unwrap();
        assert!(again.id > shanghai.id);
    }
);

both!(
    async fn departments_and_teams_keep_their_children(db) {
        let store = db.connect().await;
        let site = store.create_site(&new_madrid()).await.unwrap();
        assert_invalid(
            store.create_department(&NewDepartment { site_id: SiteId(77), name: "Sales".into() }).await,
            "site_id",
        );
        let dept = store
            .create_department(&NewDepartment { site_id: site.id, name: "Customer service".into() })
            .await
            .unwrap();
        assert_eq!(store.get_department(dept.id).await.unwrap(), dept);
        assert_conflict(
            store.create_department(&NewDepartment { site_id: site.id, name: "Customer service".into() }).await,
            "already has a department",
        );
        // The same name in another site is fine.
        let other_site = store.create_site(&NewSite { name: "Lima".into(), time_zone: "America/Lima".into() }).await.unwrap();
        let other_dept = store
            .create_department(&NewDepartment { site_id: other_site.id, name: "Customer service".into() })
            .await
            .unwrap();
        assert_eq!(store.list_departments(Some(site.id)).await.unwrap(), vec![dept.clone()]);
        assert_eq!(store.list_departments(None).await.unwrap(), vec![dept.clone(), other_dept.clone()]);

        assert_invalid(
            store.create_team(&NewTeam { department_id: DepartmentId(77), name: "T".into(), leader_id: None }).await,
            "department_id",
        );
        assert_invalid(
            store.create_team(&NewTeam { department_id: dept.id, name: "T".into(), leader_id: Some(PersonId(77)) }).await,
            "leader_id",
        );
        let team = store
            .create_team(&NewTeam { department_id: dept.id, name: "Team 1".into(), leader_id: None })
            .await
            .unwrap();
        let lead = store.create_person(&person("lead", Role::Supervisor, Some(team.id))).await.unwrap();
        let team = store
            .update_team(team.id, &NewTeam { department_id: dept.id, name: "Team 1".into(), leader_id: Some(lead.id) })
            .await
            .unwrap();
        assert_eq!(team.leader_id, Some(lead.id));
        assert_eq!(store.get_team(team.id).await.unwrap(), team);
        assert_eq!(store.list_teams(Some(dept.id)).await.unwrap(), vec![team.clone()]);
        assert_eq!(store.list_teams(Some(other_dept.id)).await.unwrap(), vec![]);
        assert_conflict(
            store.create_team(&NewTeam { department_id: dept.id, name: "Team 1".into(), leader_id: None }).await,
            "already has a team",
        );

        // Parents with children are not deleted, and nothing cascades.
        assert_conflict(store.delete_site(site.id).await, "1 department(s)");
        assert_conflict(store.delete_department(dept.id).await, "1 team(s)");
        assert_conflict(store.delete_team(team.id).await, "1 member(s)");
        assert_conflict(store.delete_person(lead.id).await, "leads 1 team(s)");
        assert_eq!(store.get_person(lead.id).await.unwrap(), lead);

        // Moving the member out and the leader off lets the team go, then the rest.
        store
            .update_team(team.id, &NewTeam { department_id: dept.id, name: "Team 1".into(), leader_id: None })
            .await
            .unwrap();
        store
            .update_person(lead.id, &PersonUpdate {
                username: "lead".into(), display_name: "Lead".into(), role: Role::Supervisor,
                tier: Tier::Senior, team_id: None, active: true,
            })
            .await
            .unwrap();
        store.delete_team(team.id).await.unwrap();
        store.delete_department(dept.id).await.unwrap();
        store.delete_site(site.id).await.unwrap();
        assert_not_found(store.delete_team(team.id).await, "team", &team.id.to_string());
        assert_not_found(store.get_department(dept.id).await, "department", &dept.id.to_string());
        assert_not_found(
            store.update_department(dept.id, &NewDepartment { site_id: other_site.id, name: "X".into() }).await,
            "department",
            &dept.id.to_string(),
        );
        assert_not_found(
            store.update_team(team.id, &NewTeam { department_id: other_dept.id, name: "X".into(), leader_id: None }).await,
            "team",
            &team.id.to_string(),
        );
        assert_eq!(store.get_person(lead.id).await.unwrap().team_id, None);
    }
);

both!(
    async fn people_crud_and_validation(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        assert_eq!(c.ana.username, "ana");
        assert_eq!(c.ana.role, Role::Agent);
        assert_eq!(c.ana.team_id, Some(c.team.id));
        assert!(c.ana.active);
        assert_eq!(store.get_person(c.ana.id).await.unwrap(), c.ana);
        assert_eq!(store.get_person_by_username("bo").await.unwrap(), c.bo);
        assert_not_found(store.get_person_by_username("nobody").await, "person", "nobody");
        assert_not_found(store.get_person(PersonId(999)).await, "person", "999");

        assert_conflict(store.create_person(&person("ana", Role::Agent, None)).await, "\"ana\" is already taken");
        assert_invalid(store.create_person(&person("Ana", Role::Agent, None)).await, "username");
        assert_invalid(store.create_person(&person("ana lopez", Role::Agent, None)).await, "username");
        assert_invalid(store.create_person(&person("zed", Role::Agent, Some(TeamId(99)))).await, "team_id");
        let mut bad = person("zed", Role::Agent, None);
        bad.display_name = "Zed\u{7}".into();
        assert_invalid(store.create_person(&bad).await, "display_name");
        bad.display_name = "Zed".into();
        bad.password_hash = Some("short".into());
        assert_invalid(store.create_person(&bad).await, "password_hash");

        let admin = store.create_person(&person("admin", Role::Admin, None)).await.unwrap();
        let all = store.list_people(&PersonFilter::default()).await.unwrap();
        assert_eq!(all, vec![c.ana.clone(), c.bo.clone(), admin.clone()]);
        let team = store.list_people(&PersonFilter { team_id: Some(c.team.id), ..Default::default() }).await.unwrap();
        assert_eq!(team, vec![c.ana.clone(), c.bo.clone()]);
        let admins = store.list_people(&PersonFilter { role: Some(Role::Admin), ..Default::default() }).await.unwrap();
        assert_eq!(admins, vec![admin.clone()]);

        let update = PersonUpdate {
            username: "ana.lopez".into(),
            display_name: "Ana López".into(),
            role: Role::Supervisor,
            tier: Tier::Expert,
            team_id: Some(c.team.id),
            active: false,
        };
        let ana = store.update_person(c.ana.id, &update).await.unwrap();
        assert_eq!(ana.username, "ana.lopez");
        assert_eq!(ana.display_name, "Ana López");
        assert_eq!(ana.role, Role::Supervisor);
        assert_eq!(ana.tier, Tier::Expert);
        assert!(!ana.active);
        let inactive = store.list_people(&PersonFilter { active: Some(false), ..Default::default() }).await.unwrap();
        assert_eq!(inactive, vec![ana.clone()]);
        assert_conflict(
            store.update_person(c.bo.id, &PersonUpdate { username: "ana.lopez".into(), ..update.clone() }).await,
            "already taken",
        );
        assert_invalid(
            store.update_person(c.bo.id, &PersonUpdate { team_id: Some(TeamId(99)), ..update.clone() }).await,
            "team_id",
        );
        assert_not_found(store.update_person(PersonId(999), &PersonUpdate { username: "x9".into(), ..update }).await, "person", "999");

        // The last active admin stays an active admin.
        let demote = PersonUpdate {
            username: "admin".into(),
            display_name: "Admin".into(),
            role: Role::Manager,
            tier: Tier::Senior,
            team_id: None,
            active: true,
        };
        assert_conflict(store.update_person(admin.id, &demote).await, "last active admin");
        assert_conflict(
            store.update_person(admin.id, &PersonUpdate { role: Role::Admin, active: false, ..demote.clone() }).await,
            "last active admin",
        );
        assert_conflict(store.delete_person(admin.id).await, "last active admin");
        let second = store.create_person(&person("admin2", Role::Admin, None)).await.unwrap();
        store.update_person(admin.id, &demote).await.unwrap();
        assert_conflict(store.delete_person(second.id).await, "last active admin");
        store.delete_person(admin.id).await.unwrap();
        assert_not_found(store.get_person(admin.id).await, "person", &admin.id.to_string());
        assert_not_found(store.delete_person(admin.id).await, "person", &admin.id.to_string());
    }
);

both!(
    async fn passwords_are_stored_as_given_hashes_only(db) {
        let store = db.connect().await;
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo";
        let mut new = person("admin", Role::Admin, None);
        new.password_hash = Some(hash.into());
        assert!(!format!("{new:?}").contains(hash), "Debug must not show the hash");
        let admin = store.create_person(&new).await.unwrap();
        let login = store.get_login("admin").await.unwrap().unwrap();
        assert_eq!(login.person, admin);
        assert_eq!(login.password_hash.as_deref(), Some(hash));
        assert!(!format!("{login:?}").contains(hash));
        assert!(store.get_login("nobody").await.unwrap().is_none());

        let other = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$b3RoZXJoYXNo";
        store.set_password_hash(admin.id, Some(other)).await.unwrap();
        assert_eq!(store.get_login("admin").await.unwrap().unwrap().password_hash.as_deref(), Some(other));
        store.set_password_hash(admin.id, None).await.unwrap();
        assert_eq!(store.get_login("admin").await.unwrap().unwrap().password_hash, None);
        assert_invalid(store.set_password_hash(admin.id, Some("x")).await, "password_hash");
        assert_not_found(store.set_password_hash(PersonId(999), Some(other)).await, "person", "999");
    }
);

both!(
    async fn a_batch_of_people_is_all_or_nothing(db) {
        let store = db.connect().await;
        store.create_person(&person("taken", Role::Agent, None)).await.unwrap();
        // The third row hits the unique index inside the transaction: the first two
        // rows, already inserted, are rolled back.
        let batch = vec![
            person("p1", Role::Agent, None),
            person("p2", Role::Agent, None),
            person("taken", Role::Agent, None),
            person("p4", Role::Agent, None),
        ];
        assert_conflict(store.create_people(&batch).await, "\"taken\" is already taken");
        assert_eq!(store.list_people(&PersonFilter::default()).await.unwrap().len(), 1);
        assert_conflict(
            store.create_people(&[person("p1", Role::Agent, None), person("p1", Role::Agent, None)]).await,
            "appears twice",
        );
        let created = store.create_people(&batch[..2]).await.unwrap();
        assert_eq!(created.iter().map(|p| p.username.as_str()).collect::<Vec<_>>(), ["p1", "p2"]);
        assert_eq!(store.create_people(&[]).await.unwrap(), vec![]);
        // A batch names the row of a bad field.
        assert_invalid(
            store.create_people(&[person("p9", Role::Agent, None), person("Bad Name", Role::Agent, None)]).await,
            "people[1].username",
        );
    }
);

both!(
    async fn skills_and_proficiency(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let faults = store.create_skill(&NewSkill { name: "faults".into(), description: "Fault reports".into() }).await.unwrap();
        assert_eq!(store.get_skill(faults.id).await.unwrap(), faults);
        assert_eq!(store.list_skills().await.unwrap(), vec![c.skill.clone(), faults.clone()]);
        assert_conflict(store.create_skill(&skill("faults")).await, "\"faults\" already exists");
        assert_invalid(store.create_skill(&skill("")).await, "name");
        assert_invalid(
            store.create_skill(&NewSkill { name: "x".into(), description: "d".repeat(1001) }).await,
            "description",
        );
        let renamed = store.update_skill(faults.id, &skill("fault reports")).await.unwrap();
        assert_eq!(renamed.name, "fault reports");
        assert_eq!(renamed.description, "");
        assert_not_found(store.update_skill(SkillId(999), &skill("y")).await, "skill", "999");

        let set = store
            .set_person_skills(c.ana.id, &[
                PersonSkill { skill_id: faults.id, proficiency: p(2) },
                PersonSkill { skill_id: c.skill.id, proficiency: p(5) },
            ])
            .await
            .unwrap();
        assert_eq!(set, vec![
            PersonSkill { skill_id: c.skill.id, proficiency: p(5) },
            PersonSkill { skill_id: faults.id, proficiency: p(2) },
        ]);
        assert_eq!(store.list_person_skills(c.ana.id).await.unwrap(), set);
        // Replacing drops what is not listed.
        store.set_person_skills(c.ana.id, &[PersonSkill { skill_id: c.skill.id, proficiency: p(3) }]).await.unwrap();
        assert_eq!(
            store.list_person_skills(c.ana.id).await.unwrap(),
            vec![PersonSkill { skill_id: c.skill.id, proficiency: p(3) }]
        );
        assert_invalid(
            store.set_person_skills(c.ana.id, &[
                PersonSkill { skill_id: c.skill.id, proficiency: p(3) },
                PersonSkill { skill_id: c.skill.id, proficiency: p(4) },
            ]).await,
            "skills[1].skill_id",
        );
        assert_invalid(
            store.set_person_skills(c.ana.id, &[PersonSkill { skill_id: SkillId(999), proficiency: p(1) }]).await,
            "skills[0].skill_id",
        );
        assert_not_found(store.set_person_skills(PersonId(999), &[]).await, "person", "999");
        assert_not_found(store.list_person_skills(PersonId(999)).await, "person", "999");
        assert!(serde_json::from_str::<PersonSkill>(r#"{"skill_id": 1, "proficiency": 6}"#).is_err());

        store
            .upsert_person_skills(&[
                PersonSkillRow { person_id: c.bo.id, skill_id: faults.id, proficiency: p(4) },
                PersonSkillRow { person_id: c.ana.id, skill_id: c.skill.id, proficiency: p(1) },
            ])
            .await
            .unwrap();
        assert_eq!(store.list_all_person_skills().await.unwrap(), vec![
            PersonSkillRow { person_id: c.ana.id, skill_id: c.skill.id, proficiency: p(1) },
            PersonSkillRow { person_id: c.bo.id, skill_id: faults.id, proficiency: p(4) },
        ]);
        assert_invalid(
            store.upsert_person_skills(&[PersonSkillRow { person_id: PersonId(999), skill_id: faults.id, proficiency: p(4) }]).await,
            "rows[0].person_id",
        );

        // A skill in use stays.
        assert_conflict(store.delete_skill(faults.id).await, "held by 1 person(s)");
        store.set_person_skills(c.bo.id, &[]).await.unwrap();
        assert_conflict(store.delete_skill(c.skill.id).await, "held by 1 person(s)");
        store.set_person_skills(c.ana.id, &[]).await.unwrap();
        assert_conflict(store.delete_skill(c.skill.id).await, "skill of 1 queue(s)");
        store.delete_skill(faults.id).await.unwrap();
        assert_not_found(store.get_skill(faults.id).await, "skill", &faults.id.to_string());
        assert_not_found(store.delete_skill(faults.id).await, "skill", &faults.id.to_string());

        // Deleting a person takes their skills with them (they belong to the person).
        store.set_person_skills(c.bo.id, &[PersonSkill { skill_id: c.skill.id, proficiency: p(2) }]).await.unwrap();
        store.delete_person(c.bo.id).await.unwrap();
        assert_eq!(store.list_all_person_skills().await.unwrap(), vec![]);
    }
);

both!(
    async fn queues_crud_with_routing_steps(db) {
        let store = db.connect().await;
        let c = center(&store).await;
        let faults = store.create_skill(&skill("faults")).await.unwrap();
        let mut gold = queue("Gold club", c.skill.id);
        gold.channel = Channel::Chat;
        gold.min_proficiency = p(4);
        gold.base_priority = 100;
        gold.aging_points_per_s = 0.5;
        gold.aging_cap = Some(300);
        gold.service_level_threshold_s = 10;
        gold.target_service_level_pct = 90.0;
        gold.wrap_up = WrapUp::Manual;
        gold.expected_handle_time_s = Some(240);
        gold.routing_steps = vec![
            RoutingStep { after_s: 20, action: StepAction::RelaxProficiency { min: p(2) } },
            RoutingStep { after_s: 40, action: StepAction::AddSkill { skill_id: faults.id, min: p(3) } },
            RoutingStep { after_s: 40, action: StepAction::AddTeam { team_id: c.team.id } },
        ];
        let stored = store.create_queue(&gold).await.unwrap();
        assert_eq!(stored.settings, gold);
        assert_eq!(store.get_queue(stored.id).await.unwrap(), stored);
        assert_eq!(store.list_queues().await.unwrap(), vec![c.queue.clone(), stored.clone()]);
        let json = serde_json::to_value(&stored).unwrap();
        assert_eq!(json["name"], "Gold club");
        assert_eq!(json["wrap_up"], serde_json::json!({"mode": "manual"}));
        assert_eq!(
            json["routing_steps"][1],
            serde_json::json!({"after_s": 40, "action": {"type": "add_skill", "skill_id": faults.id.0, "min": 3}})
        );

        let mut edited = gold.clone();
        edited.wrap_up = WrapUp::Fixed { seconds: 30 };
        edited.routing_steps.truncate(1);
        let updated = store.update_queue(stored.id, &edited).await.unwrap();
        assert_eq!(updated.settings, edited);
        assert_eq!(store.get_queue(stored.id).await.unwrap(), updated);

        assert_conflict(store.create_queue(&queue("Gold club", c.skill.id)).await, "\"Gold club\" already exists");
        assert_not_found(store.get_queue(QueueId(999)).await, "queue", "999");
        assert_not_found(store.update_queue(QueueId(999), &gold).await, "queue", "999");

        let check = |edit: fn(&mut QueueSettings), field: &'static str| {
            let mut q = gold.clone();
            q.name = "Other".into();
            edit(&mut q);
            (q, field)
        };
        let cases = [
            check(|q| q.skill_id = SkillId(999), "skill_id"),
            check(|q| q.aging_points_per_s = -1.0, "aging_points_per_s"),
            check(|q| q.aging_points_per_s = f64::NAN, "aging_points_per_s"),
            check(|q| q.service_level_threshold_s = 0, "service_level_threshold_s"),
            check(|q| q.target_service_level_pct = 100.5, "target_service_level_pct"),
            check(|q| q.wrap_up = WrapUp::Fixed { seconds: 86_401 }, "wrap_up.seconds"),
            check(|q| q.expected_handle_time_s = Some(0), "expected_handle_time_s"),
            check(|q| q.name = String::new(), "name"),
            check(|q| q.routing_steps[0].after_s = 0, "routing_steps[0].after_s"),
            check(|q| q.routing_steps[1].after_s = 10, "routing_steps[1].after_s"),
            check(|q| q.routing_steps[0].action = StepAction::RelaxProficiency { min: p(4) }, "routing_steps[0].action.min"),
            check(|q| q.routing_steps[1].action = StepAction::AddSkill { skill_id: SkillId(999), min: p(1) }, "routing_steps[1].action.skill_id"),
            check(|q| q.routing_steps[2].action = StepAction::AddTeam { team_id: TeamId(999) }, "routing_steps[2].action.team_id"),
            check(|q| q.routing_steps.push(RoutingStep { after_s: 50, action: StepAction::AddTeam { team_id: TeamId(1) } }), "routing_steps[3].action.team_id"),
            check(|q| q.routing_steps.push(RoutingStep { after_s: 50, action: StepAction::AddSkill { skill_id: SkillId(2), min: p(3) } }), "routing_steps[3].action"),
        ];
        for (q, field) in cases {
            assert_invalid(store.create_queue(&q).await, field);
        }
        assert_eq!(store.list_queues().await.unwrap().len(), 2);

        // A step that opens a team or adds a skill keeps them from being deleted.
        let (dept, team_id) = (c.department.id, c.team.id);
        store.set_person_skills(c.ana.id, &[]).await.unwrap();
        for person in [c.ana.id, c.bo.id] {
            store.delete_person(person).await.unwrap();
        }
        store.update_queue(stored.id, &gold).await.unwrap();
        assert_conflict(store.delete_team(team_id).await, "routing step of queue \"Gold club\"");
        assert_conflict(store.delete_skill(faults.id).await, "routing step of queue \"Gold club\"");
        store.delete_queue(stored.id).await.unwrap();
        store.delete_team(team_id).await.unwrap();
        store.delete_skill(faults.id).await.unwrap();
        store.delete_department(dept).await.unwrap();
        assert_not_found(store.delete_queue(stored.id).await, "queue", &stored.id.to_string());
    }
);

both!(
    async fn a_center_of_150_people_loads_in_one_batch(db) {
        let store = db.connect().await;
        let site = store.create_site(&new_madrid()).await.unwrap();
        let dept = store.create_department(&NewDepartment { site_id: site.id, name: "Floor".into() }).await.unwrap();
        let mut teams = Vec::new();
        for t in 1..=5 {
            teams.push(
                store.create_team(&NewTeam { department_id: dept.id, name: format!("Team {t}"), leader_id: None }).await.unwrap(),
            );
        }
        let mut skills = Vec::new();
        for name in ["billing", "faults", "service", "complaints", "gold"] {
            skills.push(store.create_skill(&skill(name)).await.unwrap());
        }
        let people: Vec<NewPerson> = (0..150)
            .map(|i| person(&format!("agent{i:03}"), Role::Agent, Some(teams[i % 5].id)))
            .collect();
        let created = store.create_people(&people).await.unwrap();
        assert_eq!(created.len(), 150);
        assert_eq!(created[149].username, "agent149");
        assert_eq!(created[149].team_id, Some(teams[4].id));
        let rows: Vec<PersonSkillRow> = created
            .iter()
            .enumerate()
            .flat_map(|(i, person)| {
                let skills = &skills;
                (0..3).map(move |k| PersonSkillRow {
                    person_id: person.id,
                    skill_id: skills[(i + k) % 5].id,
                    proficiency: p(1 + ((i + k) % 5) as i64),
                })
            })
            .collect();
        store.upsert_person_skills(&rows).await.unwrap();
        let stored = store.list_all_person_skills().await.unwrap();
        assert_eq!(stored.len(), 450);
        let mut expected = rows.clone();
        expected.sort_by_key(|r| (r.person_id, r.skill_id));
        assert_eq!(stored, expected);
        assert_eq!(
            store.list_people(&PersonFilter { team_id: Some(teams[0].id), ..Default::default() }).await.unwrap().len(),
            30
        );
    }
);
