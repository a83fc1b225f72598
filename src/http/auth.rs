//! Who is asking: API tokens (`Authorization: Bearer …`), each with a role.
//! Applicants see only their own applications; clerks see all and decide;
//! admins manage accounts.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use super::{ApiError, AppState};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Applicant,
    Clerk,
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Clerk => "clerk",
            Role::Admin => "admin",
        }
    }
    fn parse(s: &str) -> Option<Role> {
        [Role::Applicant, Role::Clerk, Role::Admin].into_iter().find(|r| r.key() == s)
    }
}

/// An authenticated caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub id: String,
    pub name: String,
    pub role: Role,
}

impl Principal {
    pub fn is_staff(&self) -> bool {
        matches!(self.role, Role::Clerk | Role::Admin)
    }
}

/// Tokens are random 256-bit values; a fast hash is enough to store them.
pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a token; the clear text is shown once and never stored.
pub async fn create_token(db: &crate::db::Db, name: &str, role: Role) -> Result<(String, String), sqlx::Error> {
    let bytes: [u8; 32] = rand::random();
    let token = format!("dj_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
    let id = ulid::Ulid::new().to_string();
    sqlx::query("INSERT INTO api_tokens (id, name, role, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.clone())
        .bind(name.to_string())
        .bind(role.key().to_string())
        .bind(hash_token(&token))
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&db.pool)
        .await?;
    Ok((id, token))
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let header = parts.headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        let Some(token) = header.and_then(|h| h.strip_prefix("Bearer ")) else {
            return Err(ApiError::Unauthorized);
        };
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT id, name, role FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL")
                .bind(hash_token(token.trim()))
                .fetch_optional(&state.db.pool)
                .await?;
        let (id, name, role) = row.ok_or(ApiError::Unauthorized)?;
        let role = Role::parse(&role).ok_or_else(|| ApiError::Internal(anyhow::anyhow!("token {id} has unknown role {role}")))?;
        Ok(Principal { id, name, role })
    }
}
